/**
 * Wall-clock time in IANA time zones, for business hours, quiet hours, maintenance recurrences and the
 * room's absolute times. The zone rules come from Temporal (temporal-polyfill), not from our own offset
 * arithmetic, so daylight-saving changes of any size (Lord Howe moves by 30 minutes) are the library's job.
 *
 * Local times that do not exist or exist twice follow one rule everywhere, Temporal's `compatible`
 * disambiguation (the rule of RFC 5545 and of java.time):
 * - a time inside a spring-forward gap is read with the offset from before the gap, so it lands as much
 *   later as the gap is long: 02:30 on 2026-03-08 in New York is 03:30 EDT, 02:30 on 2026-03-29 in Berlin
 *   is 03:30 CEST, 02:15 on 2026-10-04 at Lord Howe is 02:45;
 * - a time that happens twice in an autumn overlap is the first of the two (the daylight-saving one):
 *   01:30 on 2026-11-01 in New York is 01:30 EDT, not EST.
 */
import { Temporal } from "temporal-polyfill";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function isTimeZone(zone: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock on the wall in `zone` shows at the instant `at`: the calendar day, minutes since midnight, the weekday. */
export interface LocalMoment {
  date: Temporal.PlainDate;
  minutes: number;
  weekday: Weekday;
}

export function localMoment(at: number, zone: string): LocalMoment {
  const local = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(zone);
  return { date: local.toPlainDate(), minutes: local.hour * 60 + local.minute, weekday: WEEKDAYS[local.dayOfWeek - 1]! };
}

export const weekdayOf = (date: Temporal.PlainDate): Weekday => WEEKDAYS[date.dayOfWeek - 1]!;

/** The instant of a wall-clock time (`HH:MM`) on a calendar day in `zone`, gaps and overlaps resolved as above. */
export function zonedInstant(date: Temporal.PlainDate, time: string, zone: string): number {
  return date.toPlainDateTime(Temporal.PlainTime.from(time)).toZonedDateTime(zone, { disambiguation: "compatible" }).epochMilliseconds;
}

/** A window that repeats on some weekdays at a wall-clock time (recurring maintenance). */
export interface Recurrence {
  days?: Weekday[];
  start: string;
  duration: number;
  timezone: string;
  until?: string;
}

export interface Occurrence {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/** Every occurrence of `recurrence` that overlaps [from, to), oldest first; each lasts `duration` of real time. */
export function occurrences(recurrence: Recurrence, from: number, to: number): Occurrence[] {
  const until = recurrence.until ? Date.parse(recurrence.until) : Infinity;
  const found: Occurrence[] = [];
  // From the local day before `from`, and as many days earlier as one window can last, so one still open is found.
  const first = localMoment(from, recurrence.timezone).date.subtract({ days: 1 + Math.ceil(recurrence.duration / DAY_MS) });
  const last = localMoment(to, recurrence.timezone).date;
  for (let day = first; Temporal.PlainDate.compare(day, last) <= 0; day = day.add({ days: 1 })) {
    if (recurrence.days && !recurrence.days.includes(weekdayOf(day))) continue;
    const start = zonedInstant(day, recurrence.start, recurrence.timezone);
    const end = start + recurrence.duration;
    if (start > until || end <= from || start >= to) continue;
    found.push({ start, end });
  }
  return found;
}

/** Short zone names ("CET", "EDT") depend only on the zone and its offset; looking one up is slow, so each is looked up once. */
const zoneNames = new Map<string, string>();

function zoneName(local: Temporal.ZonedDateTime): string {
  const key = `${local.timeZoneId} ${local.offset}`;
  let name = zoneNames.get(key);
  if (name === undefined) {
    name = local.toLocaleString("en-GB", { timeZoneName: "short" }).split(" ").at(-1)!;
    zoneNames.set(key, name);
  }
  return name;
}

/** `2026-11-21 00:30 CET`: an instant as a clock in `zone` shows it. */
export function formatZoned(at: string | number, zone: string): string {
  const instant = typeof at === "number" ? Temporal.Instant.fromEpochMilliseconds(at) : Temporal.Instant.from(at);
  const local = instant.toZonedDateTimeISO(zone);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)} ${zoneName(local)}`;
}
