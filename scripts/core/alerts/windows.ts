/**
 * Wall-clock windows in IANA time zones: business hours, quiet hours and recurring maintenance. Windows are
 * written in local time ("06:00–22:00 Europe/Berlin") and converted through the zone (scripts/core/zones.ts,
 * which also states the rule for times that a daylight-saving change skips or repeats).
 */
import type { z } from "zod";
import { localMoment, occurrences, weekdayOf, zonedInstant, type Occurrence, type Recurrence } from "../zones.ts";
import type { dailyWindow } from "../schema/common.ts";

export type DailyWindow = z.output<typeof dailyWindow>;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The occurrence of a daily window that contains `at`, as [start, end) instants, or undefined. Start and end
 * are each converted on their own calendar day, so a window is as long in real time as the clocks say: the
 * night the clocks spring forward is an hour shorter.
 */
export function windowAround(window: DailyWindow, at: Date): { start: number; end: number } | undefined {
  const now = at.getTime();
  const crossesMidnight = minutesOf(window.end) <= minutesOf(window.start);
  const today = localMoment(now, window.timezone).date;
  // The occurrence that opened today or yesterday (a window crossing midnight opened the day before).
  for (const opened of [today, today.subtract({ days: 1 })]) {
    if (window.days && !window.days.includes(weekdayOf(opened))) continue;
    const from = zonedInstant(opened, window.start, window.timezone);
    const to = zonedInstant(crossesMidnight ? opened.add({ days: 1 }) : opened, window.end, window.timezone);
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
