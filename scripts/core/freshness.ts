/**
 * Watching the watcher: whether probe runs are still landing. A run has landed when its result reached
 * the remote, on the main branch (state.json's lastRun) or on the pending ref. Pure; the watchdog
 * workflow acts on the verdict through a path that does not depend on the probe job.
 */
import { formatDuration } from "./duration.ts";

export interface Freshness {
  stale: boolean;
  lastRunAt?: string;
  /** page.stale × cadence. */
  limitMs: number;
  message: string;
}

export function probeFreshness(landed: readonly (string | undefined)[], cadenceMs: number, staleCadences: number, now: Date): Freshness {
  const limitMs = Math.round(cadenceMs * staleCadences);
  const lastRunAt = landed.filter((at): at is string => Boolean(at)).sort().at(-1);
  if (!lastRunAt) return { stale: true, limitMs, message: "No probe run has landed yet: check that the probe workflow is enabled and succeeds." };
  const age = Math.max(0, now.getTime() - Date.parse(lastRunAt));
  const ago = formatDuration(Math.floor(age / 60_000) * 60_000 || Math.floor(age / 1000) * 1000);
  if (age <= limitMs) return { stale: false, lastRunAt, limitMs, message: `Probe runs are landing again: the last one was ${ago} ago (${lastRunAt}).` };
  return {
    stale: true,
    lastRunAt,
    limitMs,
    message: `No probe run has landed for ${ago} (last: ${lastRunAt}; limit ${formatDuration(limitMs)} = ${staleCadences} × ${formatDuration(cadenceMs)}). The public page now says the data is stale. Check the probe workflow's runs and whether scheduled workflows are enabled.`,
  };
}
