/**
 * Wall-clock windows in IANA time zones: business hours, quiet hours and recurring maintenance. Windows are
 * written in local time ("06:00–22:00 Europe/Berlin"), so every test here converts through the zone and
 * stays right across midnight and daylight-saving changes.
 */
import type { z } from "zod";
import { zonedInstant } from "../maintenance-windows.ts";
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
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)!.value);
  const dayStart = Date.UTC(get("year"), get("month") - 1, get("day"));
  return { dayStart, minutes: get("hour") * 60 + get("minute"), weekday: WEEKDAYS[new Date(dayStart).getUTCDay()]! };
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

export interface Recurrence {
  days?: Weekday[];
  start: string;
  duration: number;
  timezone: string;
  until?: string;
}

/** The occurrence of a recurring window (maintenance) that contains `at`, or undefined. */
export function recurrenceAround(recurrence: Recurrence, at: Date): { start: number; end: number } | undefined {
  const now = at.getTime();
  if (recurrence.until && now >= Date.parse(recurrence.until) + recurrence.duration) return undefined;
  const local = localTime(now, recurrence.timezone);
  const lookBack = Math.ceil(recurrence.duration / DAY_MS);
  for (let days = 0; days <= lookBack; days++) {
    const dayStart = local.dayStart - days * DAY_MS;
    if (recurrence.days && !recurrence.days.includes(WEEKDAYS[new Date(dayStart).getUTCDay()]!)) continue;
    const from = zonedInstant(dayStart, recurrence.start, recurrence.timezone);
    if (recurrence.until && from > Date.parse(recurrence.until)) continue;
    if (now >= from && now < from + recurrence.duration) return { start: from, end: from + recurrence.duration };
  }
  return undefined;
}
