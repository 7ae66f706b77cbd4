/**
 * Maintenance windows as the public page tells them: one scheduled window, or a recurrence expanded
 * into concrete windows. A window's status follows the clock (scheduled → in progress → completed)
 * unless the operator has moved the file on (in_progress, verifying, completed win).
 */
import type { IncidentFrontmatter } from "./model.ts";
import { occurrences } from "./zones.ts";

export type MaintenanceStatus = "scheduled" | "in_progress" | "verifying" | "completed";

export interface MaintenanceWindow {
  /** Stable id: the maintenance id, plus the start for a recurring window. */
  id: string;
  start: string;
  end: string;
  status: MaintenanceStatus;
}

const DAY_MS = 86_400_000;

/** How far ahead recurring windows are listed, and at most how many. */
export const RECURRENCE_HORIZON_MS = 30 * DAY_MS;
export const RECURRENCE_LIMIT = 10;


function clockStatus(start: number, end: number, now: number): MaintenanceStatus {
  if (now < start) return "scheduled";
  return now < end ? "in_progress" : "completed";
}

function compact(instant: number): string {
  return new Date(instant).toISOString().slice(0, 16).replace(/[-:T]/g, "");
}

/** The windows of one maintenance: the current one, then upcoming ones (recurring: within the horizon). */
export function maintenanceWindows(maintenance: IncidentFrontmatter, now: Date): MaintenanceWindow[] {
  const at = now.getTime();
  const declared = maintenance.status as MaintenanceStatus;
  const status = (start: number, end: number): MaintenanceStatus => {
    if (declared === "completed") return "completed";
    const byClock = clockStatus(start, end, at);
    // The operator's word counts once the window has started: "verifying" or a late "in_progress".
    if (declared !== "scheduled" && at >= start) return declared;
    return byClock;
  };
  const { recurrence } = maintenance;
  if (!recurrence) {
    if (!maintenance.scheduledFor || !maintenance.scheduledUntil) return [];
    const start = Date.parse(maintenance.scheduledFor);
    const end = Date.parse(maintenance.scheduledUntil);
    return [{ id: maintenance.id, start: new Date(start).toISOString(), end: new Date(end).toISOString(), status: status(start, end) }];
  }
  if (declared === "completed") return [];
  // From two days back, so a window that began yesterday (in any zone) and is still running is found.
  const windows = occurrences(recurrence, at - 2 * DAY_MS, at + RECURRENCE_HORIZON_MS)
    .filter(({ end }) => end > at)
    .slice(0, RECURRENCE_LIMIT)
    .map(({ start, end }): MaintenanceWindow => ({
      id: `${maintenance.id}-${compact(start)}`,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      status: clockStatus(start, end, at),
    }));
  return windows;
}

/**
 * When a maintenance held its components between `from` and `now`: the scheduled window, or every past
 * and current occurrence of a recurrence (a weekly restart explains last Sunday's downtime too), each
 * cut at `now`. A recurrence marked completed stops at `endedAt`, when it was marked so.
 */
export function maintenanceSpans(maintenance: IncidentFrontmatter, from: number, now: number, endedAt?: number): [number, number][] {
  const { recurrence } = maintenance;
  if (!recurrence) {
    if (!maintenance.scheduledFor || !maintenance.scheduledUntil) return [];
    const start = Date.parse(maintenance.scheduledFor);
    return start <= now ? [[start, Math.min(now, Date.parse(maintenance.scheduledUntil))]] : [];
  }
  const to = Math.min(now, endedAt ?? now);
  return occurrences(recurrence, from, to + 1).map(({ start, end }) => [start, Math.min(end, to)] as [number, number]).filter(([start]) => start <= to);
}
