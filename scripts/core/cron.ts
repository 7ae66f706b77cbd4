/**
 * How often a GitHub Actions `schedule` fires: POSIX cron in UTC (minute, hour, day of month, month,
 * day of week; lists, ranges, steps, month and day names). When both day fields are restricted a day
 * matches either, as cron has it. Only counting is needed here, never the next run.
 */

const NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12, sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function field(text: string, index: number): Set<number> {
  const { name, min, max } = FIELDS[index]!;
  const values = new Set<number>();
  const number = (part: string) => {
    const value = NAMES[part.toLowerCase()] ?? Number(part);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`the ${name} "${part}" is out of range ${min}-${max}`);
    return value;
  };
  for (const item of text.split(",")) {
    const [range, stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`the step "${stepText}" in the ${name} must be a whole number from 1`);
    const [from, to] = range === "*" ? [min, max] : range!.includes("-") ? range!.split("-").map(number) : [number(range!), stepText === undefined ? number(range!) : max];
    for (let value = from!; value <= to!; value += step) values.add(index === 4 && value === 7 ? 0 : value);
  }
  return values;
}

export interface Cron {
  matches(at: Date): boolean;
}

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`"${expression}" is not a cron schedule (five fields: minute hour day-of-month month day-of-week)`);
  const [minutes, hours, days, months, weekdays] = parts.map(field);
  const anyDay = parts[2] === "*";
  const anyWeekday = parts[4] === "*";
  return {
    matches(at) {
      if (!minutes!.has(at.getUTCMinutes()) || !hours!.has(at.getUTCHours()) || !months!.has(at.getUTCMonth() + 1)) return false;
      const day = days!.has(at.getUTCDate());
      const weekday = weekdays!.has(at.getUTCDay());
      return anyDay || anyWeekday ? day && weekday : day || weekday;
    },
  };
}

/** Average firings per day over 28 days from a fixed Monday (so weekly and most monthly schedules count right). */
export function runsPerDay(expression: string): number {
  const cron = parseCron(expression);
  const start = Date.UTC(2026, 0, 5);
  let count = 0;
  for (let minute = 0; minute < 28 * 1440; minute++) if (cron.matches(new Date(start + minute * 60_000))) count++;
  return count / 28;
}
