/** Which checks a probe run in one region should probe now (pure). */
import type { CheckBase, ResolvedCheck } from "./model.ts";
import type { CheckState } from "./schema/records.ts";

/**
 * Scheduled runs start a little early or late, so a check counts as due slightly before its cadence has
 * fully elapsed: a tenth of the cadence, at most 30 seconds. Without it a run every 5 minutes would skip
 * a 5-minute check whenever it started a second early, and probe it every 10 minutes.
 */
export function dueSlack(cadenceMs: number): number {
  return Math.min(cadenceMs / 10, 30_000);
}

/** One job's part of the checks when the probe job is split across a matrix: job `index` of `count` (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** The shard (1-based) a check belongs to: a stable hash of its id, so adding a check moves no other. */
export function shardOf(checkId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const char of checkId) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return ((hash >>> 0) % count) + 1;
}

/**
 * Enabled checks that run in `region` (and belong to `shard`) and were not probed there within their
 * cadence, in config order.
 */
export function dueChecks<C extends CheckBase>(
  checks: readonly ResolvedCheck<C>[],
  states: Readonly<Record<string, CheckState>>,
  region: string,
  now: Date,
  shard?: Shard,
): ResolvedCheck<C>[] {
  return checks.filter((check) => {
    if (!check.enabled || (check.regions && !check.regions.includes(region))) return false;
    if (shard && shardOf(check.id, shard.count) !== shard.index) return false;
    const last = states[check.id]?.regions[region]?.lastSampleAt;
    return last === undefined || now.getTime() - Date.parse(last) >= check.cadence - dueSlack(check.cadence);
  });
}
