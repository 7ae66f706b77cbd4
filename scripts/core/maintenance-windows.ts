/**
 * Maintenance windows as the public page tells them: one scheduled window, or a recurrence expanded
 * into concrete windows. A window's status follows the clock (scheduled → in progress → completed)
 * unless the operator has moved the file on (in_progress, verifying, completed win).
 */
import type { IncidentFrontmatter } from "./model.ts";

export type MaintenanceStatus = "scheduled" | "in_progress" | "verifying" | "completed";

export interface MaintenanceWindow {
  /** Stable id: the maintenance id, plus the start for a recurring window. */
  id: string;
  start: string;
  end: string;
  status: MaintenanceStatus;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** How far ahead recurring windows are listed, and at most how many. */
export const RECURRENCE_HORIZON_MS = 30 * DAY_MS;
export const RECURRENCE_LIMIT = 10;

/** Offset of `zone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
function zoneOffset(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time on a calendar day (given as UTC midnight of that date) has in `zone`. */
export function zonedInstant(dayUtcMidnight: number, time: string, zone: string): number {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  const wall = dayUtcMidnight + hours * 3_600_000 + minutes * 60_000;
  const first = wall - zoneOffset(wall, zone);
  // Second pass settles days on which the offset changes (daylight saving).
  return wall - zoneOffset(first, zone);
}

function weekdayIn(dayUtcMidnight: number): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(dayUtcMidnight).getUTCDay()]!;
}

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
  const until = recurrence.until ? Date.parse(recurrence.until) : Infinity;
  const windows: MaintenanceWindow[] = [];
  // Start a day early so a window that began yesterday (in any zone) and is still running is found.
  const firstDay = at - (at % DAY_MS) - 2 * DAY_MS;
  for (let day = firstDay; day <= at + RECURRENCE_HORIZON_MS && windows.length < RECURRENCE_LIMIT; day += DAY_MS) {
    if (recurrence.days && !recurrence.days.includes(weekdayIn(day))) continue;
    const start = zonedInstant(day, recurrence.start, recurrence.timezone);
    const end = start + recurrence.duration;
    if (end <= at || start > until || start > at + RECURRENCE_HORIZON_MS) continue;
    windows.push({
      id: `${maintenance.id}-${compact(start)}`,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      status: clockStatus(start, end, at),
    });
  }
  return windows;
}
