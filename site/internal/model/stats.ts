/**
 * Figures over raw samples in a window: counts, error rate, uptime and latency percentiles. A failing
 * sample is one that is `down` or `error` (the probe could not run); uptime leaves `error` out, as the
 * rollups do (scripts/core/rollup.ts), because a broken probe says nothing about the provider.
 */
import { percentile } from "../../../scripts/core/rollup.ts";
import type { Sample } from "../../../scripts/core/schema/records.ts";

export interface WindowStats {
  count: number;
  up: number;
  degraded: number;
  down: number;
  error: number;
  failing: number;
  /** failing / count; undefined without samples. */
  errorRate?: number;
  /** (up + degraded) / (up + degraded + down); undefined without such samples. */
  uptime?: number;
  averageMs?: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * Samples with `now - windowMs < at <= now`. Sample times are UTC ISO strings (as the store writes and
 * sorts them), so they compare as text: no date parsing for every sample of a week.
 */
export function within(samples: readonly Sample[], windowMs: number, now: Date): Sample[] {
  const from = new Date(now.getTime() - windowMs).toISOString();
  const to = now.toISOString();
  return samples.filter((sample) => sample.at > from && sample.at <= to);
}

export function stats(samples: readonly Sample[]): WindowStats {
  const count = (state: Sample["state"]) => samples.filter((sample) => sample.state === state).length;
  const [up, degraded, down, error] = [count("up"), count("degraded"), count("down"), count("error")];
  const latencies = samples
    .filter((sample) => sample.state !== "error" && sample.latencyMs !== undefined)
    .map((sample) => sample.latencyMs!)
    .sort((a, b) => a - b);
  const measured = up + degraded + down;
  return {
    count: samples.length,
    up,
    degraded,
    down,
    error,
    failing: down + error,
    errorRate: samples.length === 0 ? undefined : (down + error) / samples.length,
    uptime: measured === 0 ? undefined : (up + degraded) / measured,
    averageMs: latencies.length === 0 ? undefined : latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

/** Samples grouped by check, each list in the input's order: one pass instead of a filter per check. */
export function byCheck(samples: readonly Sample[]): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const group = groups.get(sample.check);
    if (group) group.push(sample);
    else groups.set(sample.check, [sample]);
  }
  return groups;
}

/** Splits `[now - windowMs, now]` into equal buckets and applies `stats` to each; oldest first. */
export function buckets(samples: readonly Sample[], windowMs: number, size: number, now: Date): { start: number; stats: WindowStats }[] {
  const end = Math.ceil(now.getTime() / size) * size;
  const count = Math.ceil(windowMs / size);
  const groups: Sample[][] = Array.from({ length: count }, () => []);
  for (const sample of samples) {
    const index = count - 1 - Math.floor((end - 1 - Date.parse(sample.at)) / size);
    if (index >= 0 && index < count) groups[index]!.push(sample);
  }
  return groups.map((group, index) => ({ start: end - (count - index) * size, stats: stats(group) }));
}
