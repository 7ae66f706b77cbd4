/** Aggregates of samples per hour and per day (pure). */
import type { Rollup, Sample } from "./schema/records.ts";

export type Granularity = "hour" | "day";
const SIZE: Record<Granularity, number> = { hour: 3_600_000, day: 86_400_000 };

export function bucketStart(at: string | Date, granularity: Granularity): string {
  const ms = typeof at === "string" ? Date.parse(at) : at.getTime();
  return new Date(ms - (ms % SIZE[granularity])).toISOString();
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * One bucket's aggregate. Each down sample stands for one cadence of downtime, shared by the regions
 * that probed in the bucket (two regions see one outage twice), never more than the bucket itself;
 * `error` samples (the probe could not run) count apart and are no downtime.
 */
export function summarise(samples: readonly Sample[], start: string, granularity: Granularity, cadenceMs: number): Rollup {
  const latencies = samples
    .filter((sample) => sample.state !== "error" && sample.latencyMs !== undefined)
    .map((sample) => sample.latencyMs!)
    .sort((a, b) => a - b);
  const count = (state: Sample["state"]) => samples.filter((sample) => sample.state === state).length;
  const down = count("down");
  const metrics: Record<string, number> = {};
  for (const sample of samples) {
    for (const [name, value] of Object.entries(sample.metrics ?? {})) metrics[name] = (metrics[name] ?? 0) + value;
  }
  const rollup: Rollup = {
    start,
    count: samples.length,
    up: count("up"),
    degraded: count("degraded"),
    down,
    error: count("error"),
    downtimeMinutes: Math.min(SIZE[granularity], (down * cadenceMs) / Math.max(1, new Set(samples.map((sample) => sample.region)).size)) / 60_000,
  };
  if (latencies.length > 0) {
    rollup.p50 = percentile(latencies, 50);
    rollup.p95 = percentile(latencies, 95);
    rollup.p99 = percentile(latencies, 99);
    rollup.max = latencies.at(-1);
  }
  if (Object.keys(metrics).length > 0) rollup.metrics = metrics;
  return rollup;
}

/** Groups samples into buckets and summarises each, oldest first. */
export function rollupSamples(samples: readonly Sample[], granularity: Granularity, cadenceMs: number): Rollup[] {
  const buckets = Map.groupBy(samples, (sample) => bucketStart(sample.at, granularity));
  return [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([start, group]) => summarise(group, start, granularity, cadenceMs));
}

/** Uptime of rollups as a fraction of samples that were not down (errors left out); undefined without data. */
export function uptime(rollups: readonly Rollup[]): number | undefined {
  const counted = rollups.reduce((sum, rollup) => sum + rollup.up + rollup.degraded + rollup.down, 0);
  if (counted === 0) return undefined;
  return rollups.reduce((sum, rollup) => sum + rollup.up + rollup.degraded, 0) / counted;
}

/** `existing` with the buckets in `fresh` replaced or added, minus buckets that start before `keepFrom`; oldest first. */
export function mergeRollups(existing: readonly Rollup[], fresh: readonly Rollup[], keepFrom: Date): Rollup[] {
  const byStart = new Map(existing.map((entry) => [entry.start, entry]));
  for (const entry of fresh) byStart.set(entry.start, entry);
  return [...byStart.values()].filter((entry) => Date.parse(entry.start) >= keepFrom.getTime()).sort((a, b) => a.start.localeCompare(b.start));
}
