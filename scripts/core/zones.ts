/**
 * Wall-clock arithmetic in IANA time zones, for business hours, quiet hours and maintenance windows.
 * Building an Intl.DateTimeFormat is far more expensive than using one, and rule evaluation asks about
 * thousands of samples per run, so each zone's formatter is built once.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One Intl.DateTimeFormat per locale and options, built on first use. */
export function dateFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

const WALL_CLOCK = { hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" } as const;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a clock on the wall in `timeZone` shows at the instant `at`. */
export function wallClock(at: number, timeZone: string): WallClock {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of dateFormatter("en-US", { timeZone, ...WALL_CLOCK }).formatToParts(new Date(at))) {
    if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
  }
  return clock;
}

/** Offset of `zone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
export function zoneOffset(at: number, zone: string): number {
  const wall = wallClock(at, zone);
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time (`HH:MM`) on a calendar day (given as UTC midnight of that date) has in `zone`. */
export function zonedInstant(dayUtcMidnight: number, time: string, zone: string): number {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  const wall = dayUtcMidnight + hours * 3_600_000 + minutes * 60_000;
  const first = wall - zoneOffset(wall, zone);
  // Second pass settles days on which the offset changes (daylight saving).
  return wall - zoneOffset(first, zone);
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** A window that repeats on some weekdays at a wall-clock time (recurring maintenance). */
export interface Recurrence {
  days?: (typeof WEEKDAYS)[number][];
  start: string;
  duration: number;
  timezone: string;
  until?: string;
}

export interface Occurrence {
  start: number;
  end: number;
}

/** Every occurrence of `recurrence` that overlaps [from, to), oldest first. */
export function occurrences(recurrence: Recurrence, from: number, to: number): Occurrence[] {
  const until = recurrence.until ? Date.parse(recurrence.until) : Infinity;
  const found: Occurrence[] = [];
  // Calendar days as UTC midnights; a day early (any zone) and as far back as one window can last.
  const first = from - (from % DAY_MS) - (1 + Math.ceil(recurrence.duration / DAY_MS)) * DAY_MS;
  for (let day = first; day <= to + DAY_MS; day += DAY_MS) {
    if (recurrence.days && !recurrence.days.includes(WEEKDAYS[new Date(day).getUTCDay()]!)) continue;
    const start = zonedInstant(day, recurrence.start, recurrence.timezone);
    const end = start + recurrence.duration;
    if (start > until || end <= from || start >= to) continue;
    found.push({ start, end });
  }
  return found;
}
