import type { AlertState, Notification } from "../core/schema/records.ts";
import { readState, writeState } from "./state.ts";

/**
 * Writes the outbox (and optionally alert states) into checks/state.json, keeping everything else as it is
 * on disk: delivery persists its progress this way between sends.
 */
export async function writeAlerting(root: string, now: Date, change: { outbox: Notification[]; alerts?: Record<string, AlertState> }): Promise<void> {
  const state = await readState(root, now);
  await writeState(root, { ...state, updatedAt: now.toISOString(), outbox: change.outbox, alerts: change.alerts ?? state.alerts });
}
