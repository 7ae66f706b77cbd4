/**
 * Wall-clock windows in IANA time zones: business hours, quiet hours and recurring maintenance. Windows are
 * written in local time ("06:00–22:00 Europe/Berlin"), so every test here converts through the zone and
 * stays right across midnight and daylight-saving changes.
 */
import type { z } from "zod";
import { occurrences, wallClock, zonedInstant, type Occurrence, type Recurrence } from "../zones.ts";
import type { dailyWindow, weekday } from "../schema/common.ts";

export type DailyWindow = z.output<typeof dailyWindow>;
type Weekday = z.output<typeof weekday>;

const WEEKDAYS: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DAY_MS = 86_400_000;

interface LocalTime {
  /** Midnight of the local calendar day, as if the zone were UTC (only for date arithmetic). */
  dayStart: number;
  minutes: number;
  weekday: Weekday;
}

function localTime(at: number, timeZone: string): LocalTime {
  const wall = wallClock(at, timeZone);
  const dayStart = Date.UTC(wall.year, wall.month - 1, wall.day);
  return { dayStart, minutes: wall.hour * 60 + wall.minute, weekday: WEEKDAYS[new Date(dayStart).getUTCDay()]! };
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The occurrence of a daily window that contains `at`, as [start, end) instants, or undefined. */
export function windowAround(window: DailyWindow, at: Date): { start: number; end: number } | undefined {
  const now = at.getTime();
  const start = minutesOf(window.start);
  let end = minutesOf(window.end);
  if (end <= start) end += 24 * 60;
  const local = localTime(now, window.timezone);
  // The occurrence that opened today or yesterday (a window crossing midnight opened the day before).
  for (const dayStart of [local.dayStart, local.dayStart - DAY_MS]) {
    const opens = WEEKDAYS[new Date(dayStart).getUTCDay()]!;
    if (window.days && !window.days.includes(opens)) continue;
    const from = zonedInstant(dayStart, window.start, window.timezone);
    const to = zonedInstant(end >= 24 * 60 ? dayStart + DAY_MS : dayStart, window.end, window.timezone);
    if (now >= from && now < to) return { start: from, end: to };
  }
  return undefined;
}

export function insideWindow(window: DailyWindow, at: Date): boolean {
  return windowAround(window, at) !== undefined;
}

/** The occurrence of a recurring window (maintenance) that contains `at`, or undefined. */
export function recurrenceAround(recurrence: Recurrence, at: Date): Occurrence | undefined {
  return occurrences(recurrence, at.getTime(), at.getTime() + 1)[0];
}
