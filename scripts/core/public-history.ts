/**
 * What the public page shows of the past, from hourly and daily rollups (pure): uptime over 24 h, 7 d,
 * 30 d and 90 d, per-day totals for the 90-day bars, and response-time series for the charts.
 */
import { bucketStart, uptime } from "./rollup.ts";
import type { Rollup } from "./schema/records.ts";

export interface RollupSet {
  hourly: readonly Rollup[];
  daily: readonly Rollup[];
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const BAR_DAYS = 90;

export type UptimeWindow = "24h" | "7d" | "30d" | "90d";
export const UPTIME_WINDOWS: readonly UptimeWindow[] = ["24h", "7d", "30d", "90d"];

export type ResponseRange = "24h" | "7d" | "90d";
export const RESPONSE_RANGES: readonly ResponseRange[] = ["24h", "7d", "90d"];

/** Sample counts of one day (or of the recent window), summed over a component's checks. */
export interface DayTotals {
  count: number;
  up: number;
  degraded: number;
  down: number;
  /**
   * The longest downtime of any one check: daily rollups cannot tell whether two checks were down at the
   * same time, and the sum could exceed the day. The component was down at least this long.
   */
  downtimeMinutes: number;
}

/** How long "right now" is for the component status: the current and the previous hourly bucket. */
export const RECENT_HOURS = 2;

export interface LatencyPoint {
  at: string;
  p50: number;
  p95: number;
}

export interface ResponseSeries {
  range: ResponseRange;
  points: LatencyPoint[];
}

const since = (rollups: readonly Rollup[], from: number) => rollups.filter((rollup) => Date.parse(rollup.start) >= from);

/** Start of the hour or day that holds `now`, minus `count - 1` more: the first of `count` buckets up to now. */
function firstBucket(now: Date, size: number, count: number): number {
  return Date.parse(bucketStart(now, size === HOUR_MS ? "hour" : "day")) - (count - 1) * size;
}

/** The rollups each uptime window is computed from: hourly for 24 h and 7 d, daily for 30 d and 90 d. */
function windowRollups(sets: readonly RollupSet[], now: Date): Record<UptimeWindow, Rollup[]> {
  const hourly = sets.flatMap((set) => set.hourly);
  const daily = sets.flatMap((set) => set.daily);
  return {
    "24h": since(hourly, firstBucket(now, HOUR_MS, 24)),
    "7d": since(hourly, firstBucket(now, HOUR_MS, 7 * 24)),
    "30d": since(daily, firstBucket(now, DAY_MS, 30)),
    "90d": since(daily, firstBucket(now, DAY_MS, BAR_DAYS)),
  };
}

/** The length of each window in the unit its coverage is counted in (hours for 24 h, days otherwise). */
export const WINDOW_LENGTH: Record<UptimeWindow, number> = { "24h": 24, "7d": 7, "30d": 30, "90d": BAR_DAYS };

const counted = (rollup: Rollup) => rollup.up + rollup.degraded + rollup.down > 0;

/**
 * Uptime (a fraction of samples that were not down) over each window across every check of a component,
 * undefined without data, and how much of the window had data: hours with samples for 24 h, UTC days
 * with samples otherwise. A figure over 12 days of data must not read as one over 90.
 */
export function uptimeWindows(sets: readonly RollupSet[], now: Date): { uptime: Record<UptimeWindow, number | undefined>; coverage: Record<UptimeWindow, number> } {
  const rollups = windowRollups(sets, now);
  const units = (window: UptimeWindow) => new Set(rollups[window].filter(counted).map((rollup) => rollup.start.slice(0, window === "24h" ? 13 : 10))).size;
  return {
    uptime: { "24h": uptime(rollups["24h"]), "7d": uptime(rollups["7d"]), "30d": uptime(rollups["30d"]), "90d": uptime(rollups["90d"]) },
    coverage: { "24h": units("24h"), "7d": units("7d"), "30d": units("30d"), "90d": units("90d") },
  };
}

/** Sample counts of the recent window (RECENT_HOURS hourly buckets up to now), summed over the checks. */
export function recentTotals(sets: readonly RollupSet[], now: Date): DayTotals {
  return total(since(sets.flatMap((set) => set.hourly), firstBucket(now, HOUR_MS, RECENT_HOURS)).filter((rollup) => Date.parse(rollup.start) <= now.getTime()));
}

function total(rollups: readonly Rollup[]): DayTotals {
  const sum: DayTotals = { count: 0, up: 0, degraded: 0, down: 0, downtimeMinutes: 0 };
  for (const rollup of rollups) {
    sum.count += rollup.up + rollup.degraded + rollup.down;
    sum.up += rollup.up;
    sum.degraded += rollup.degraded;
    sum.down += rollup.down;
    sum.downtimeMinutes = Math.max(sum.downtimeMinutes, rollup.downtimeMinutes);
  }
  return sum;
}

/** The first UTC date any of the checks has a daily rollup with samples: where its public history starts. */
export function firstDataDate(sets: readonly RollupSet[]): string | undefined {
  return sets
    .flatMap((set) => set.daily)
    .filter(counted)
    .map((rollup) => rollup.start.slice(0, 10))
    .sort()[0];
}

/** The last `BAR_DAYS` UTC dates up to today, oldest first. */
export function barDates(now: Date): string[] {
  const first = firstBucket(now, DAY_MS, BAR_DAYS);
  return Array.from({ length: BAR_DAYS }, (_, index) => new Date(first + index * DAY_MS).toISOString().slice(0, 10));
}

/** Daily totals by UTC date over the given checks' daily rollups (counts summed, downtime the longest). */
export function dayTotals(sets: readonly RollupSet[], dates: readonly string[]): Map<string, DayTotals> {
  const wanted = new Set(dates);
  const byDate = Map.groupBy(
    sets.flatMap((set) => set.daily).filter((rollup) => wanted.has(rollup.start.slice(0, 10))),
    (rollup) => rollup.start.slice(0, 10),
  );
  return new Map([...byDate].map(([date, rollups]) => [date, total(rollups)]));
}

/**
 * Merges consecutive rollups into one point per `size` ms. Percentiles cannot be merged exactly: a point
 * shows the sample-weighted mean of the medians and the highest p95, which never hides a slow spell.
 */
function points(rollups: readonly Rollup[], from: number, size: number): LatencyPoint[] {
  const buckets = new Map<number, { weight: number; p50: number; p95: number }>();
  for (const rollup of rollups) {
    const at = Date.parse(rollup.start);
    if (at < from || rollup.p50 === undefined) continue;
    const key = from + Math.floor((at - from) / size) * size;
    const bucket = buckets.get(key) ?? { weight: 0, p50: 0, p95: 0 };
    const weight = Math.max(1, rollup.count - rollup.error);
    bucket.p50 += rollup.p50 * weight;
    bucket.weight += weight;
    bucket.p95 = Math.max(bucket.p95, rollup.p95 ?? rollup.p50);
    buckets.set(key, bucket);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, bucket]) => ({ at: new Date(at).toISOString(), p50: Math.round(bucket.p50 / bucket.weight), p95: Math.round(bucket.p95) }));
}

/** Response time over 24 h (hourly points), 7 d (4-hour points) and 90 d (daily points) of one check. */
export function responseSeries(set: RollupSet | undefined, now: Date): ResponseSeries[] {
  const hourly = set?.hourly ?? [];
  const daily = set?.daily ?? [];
  return [
    { range: "24h", points: points(hourly, firstBucket(now, HOUR_MS, 24), HOUR_MS) },
    { range: "7d", points: points(hourly, firstBucket(now, HOUR_MS, 7 * 24), 4 * HOUR_MS) },
    { range: "90d", points: points(daily, firstBucket(now, DAY_MS, BAR_DAYS), DAY_MS) },
  ];
}

/** Median response time over the last 24 hours (the sample-weighted mean of hourly medians), in ms. */
export function recentResponseTime(set: RollupSet | undefined, now: Date): number | undefined {
  const rollups = since(set?.hourly ?? [], firstBucket(now, HOUR_MS, 24)).filter((rollup) => rollup.p50 !== undefined);
  if (rollups.length === 0) return undefined;
  const weight = rollups.reduce((sum, rollup) => sum + Math.max(1, rollup.count - rollup.error), 0);
  return Math.round(rollups.reduce((sum, rollup) => sum + rollup.p50! * Math.max(1, rollup.count - rollup.error), 0) / weight);
}
