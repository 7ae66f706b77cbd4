/**
 * Reads one alert condition over the samples of a rule's checks. A reading says whether the firing
 * threshold is crossed (`fire`) and whether a firing alert must keep firing because the clearing threshold
 * is not crossed yet (`hold`): that pair is the hysteresis of playbook §6.2.3 (fire above 10 %, clear below 5 %).
 * Without enough data a reading has no value and changes nothing.
 */
import type { z } from "zod";
import { formatDuration } from "../duration.ts";
import { percentile } from "../rollup.ts";
import type { alertCondition } from "../schema/alert-rules.ts";
import type { CheckStatus } from "../schema/enums.ts";
import type { CheckState, Rollup, Sample } from "../schema/records.ts";

export type AlertCondition = z.output<typeof alertCondition>;

/** A check a rule watches, with what the conditions need to know about it. */
export interface Target {
  id: string;
  provider: string;
  type: string;
  cadence: number;
  recoveryThreshold: number;
}

/** A check's rollups, oldest first (as scripts/store/rollups.ts keeps them). */
export interface History {
  hourly: readonly Rollup[];
  daily: readonly Rollup[];
}

export interface ConditionContext {
  now: number;
  targets: readonly Target[];
  /** Each target's samples, oldest first, already without samples taken during its maintenance. */
  samples: ReadonlyMap<string, readonly Sample[]>;
  states: Readonly<Record<string, CheckState>>;
  history: Readonly<Record<string, History>>;
  /** Since when the rule has been watching: a check never heard from counts as silent since then. */
  watchingSince: number;
}

export interface Reading {
  value?: number;
  fire: boolean;
  hold: boolean;
  detail: string;
  /** Checks that are the reason for the reading. */
  checks: string[];
  /** When the trouble began, if the data tells (first failing sample of the streak, last heartbeat…). */
  onset?: number;
}

const noData = (detail: string): Reading => ({ fire: false, hold: true, detail, checks: [] });
const failing = (sample: Sample) => sample.state === "down";
const counted = (sample: Sample) => sample.state !== "error";

function within(context: ConditionContext, window: number): Sample[] {
  const from = context.now - window;
  return context.targets.flatMap((target) => (context.samples.get(target.id) ?? []).filter((sample) => Date.parse(sample.at) > from));
}

function ids(samples: readonly Sample[], keep: (sample: Sample) => boolean): string[] {
  return [...new Set(samples.filter(keep).map((sample) => sample.check))].sort();
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const round = (n: number) => Math.round(n * 10) / 10;

/** Samples of one check grouped by run (regions of one run together), oldest first. */
function runs(samples: readonly Sample[]): Sample[][] {
  const grouped: Sample[][] = [];
  for (const sample of samples) {
    const last = grouped.at(-1);
    if (last && last[0]!.run === sample.run) last.push(sample);
    else grouped.push([sample]);
  }
  return grouped;
}

type StateCondition = Extract<AlertCondition, { type: "state" }>;

/** Which confirmed check statuses count as being in a rule's state (`degraded` includes down). */
const CONFIRMED: Record<StateCondition["state"], (status: CheckStatus) => boolean> = {
  down: (status) => status === "down",
  degraded: (status) => status === "degraded" || status === "down",
  unknown: (status) => status === "unknown",
};

/**
 * A state rule counts consecutive runs in its state. By default (`source: confirmed`) a check only counts once
 * its confirmed status (after failureThreshold, recoveryThreshold and the regions' vote) is in that state, and
 * holds while it stays there; with `source: samples` the raw samples decide alone.
 */
function readState(condition: StateCondition, context: ConditionContext): Reading {
  const matches: (sample: Sample) => boolean =
    condition.state === "down" ? failing : condition.state === "degraded" ? (s) => s.state === "degraded" || s.state === "down" : (s) => s.state === "error";
  // A run is in the state when at least half of its regions saw it (a quorum, so one bad region is not an outage).
  const runMatches = (run: Sample[]) => run.filter(matches).length * 2 >= run.length;
  const raw = condition.source === "samples";
  let best = { streak: 0, onset: undefined as number | undefined };
  const firing: string[] = [];
  const troubled: string[] = [];
  const unconfirmed: string[] = [];
  let seen = false;
  for (const target of context.targets) {
    const list = runs(context.samples.get(target.id) ?? []);
    if (list.length === 0) continue;
    seen = true;
    let streak = 0;
    while (streak < list.length && runMatches(list[list.length - 1 - streak]!)) streak++;
    let clean = 0;
    while (clean < list.length && !runMatches(list[list.length - 1 - clean]!)) clean++;
    const confirmed = CONFIRMED[condition.state](context.states[target.id]?.status ?? "unknown");
    if (!raw && !confirmed) {
      if (streak > 0) unconfirmed.push(target.id);
      continue;
    }
    if (streak >= condition.for) firing.push(target.id);
    if (raw ? streak > 0 || (clean < list.length && clean < target.recoveryThreshold) : true) troubled.push(target.id);
    if (streak > best.streak) best = { streak, onset: Date.parse(list[list.length - streak]![0]!.at) };
  }
  if (!seen) return noData("no samples yet");
  const detail = firing.length
    ? `${condition.state} for ${plural(best.streak, "consecutive run")}: ${firing.join(", ")}`
    : troubled.length
      ? `${raw ? "recovering" : `confirmed ${condition.state}`}: ${troubled.join(", ")}`
      : unconfirmed.length
        ? `${condition.state} in the latest samples, not confirmed yet: ${unconfirmed.join(", ")}`
        : `no check ${condition.state}`;
  return { value: best.streak, fire: firing.length > 0, hold: troubled.length > 0, detail, checks: firing.length ? firing : troubled, onset: best.onset };
}

function onsetOf(samples: readonly Sample[], keep: (sample: Sample) => boolean): number | undefined {
  const first = samples.filter(keep).map((sample) => Date.parse(sample.at));
  return first.length ? Math.min(...first) : undefined;
}

function readErrors(condition: Extract<AlertCondition, { type: "errors" }>, context: ConditionContext): Reading {
  const samples = within(context, condition.within);
  const count = samples.filter(failing).length;
  const clearBelow = condition.clearBelow ?? condition.count;
  return {
    value: count,
    fire: count >= condition.count,
    hold: count >= clearBelow,
    detail: `${plural(count, "failed sample")} in ${formatDuration(condition.within)} (fires at ${condition.count})`,
    checks: ids(samples, failing),
    onset: onsetOf(samples, failing),
  };
}

function readErrorRate(condition: Extract<AlertCondition, { type: "errorRate" }>, context: ConditionContext): Reading {
  const samples = within(context, condition.window).filter(counted);
  if (samples.length < condition.minSamples) return noData(`${plural(samples.length, "sample")} in ${formatDuration(condition.window)}, fewer than ${condition.minSamples}`);
  const rate = (samples.filter(failing).length / samples.length) * 100;
  return {
    value: round(rate),
    fire: rate > condition.above,
    hold: rate >= (condition.clearBelow ?? condition.above),
    detail: `${round(rate)} % of ${plural(samples.length, "sample")} failed in ${formatDuration(condition.window)} (fires above ${condition.above} %, clears below ${condition.clearBelow ?? condition.above} %)`,
    checks: ids(samples, failing),
    onset: onsetOf(samples, failing),
  };
}

function readLatency(condition: Extract<AlertCondition, { type: "latency" }>, context: ConditionContext): Reading {
  const samples = within(context, condition.window).filter((sample) => counted(sample) && sample.latencyMs !== undefined);
  if (samples.length < condition.minSamples) return noData(`${plural(samples.length, "timed sample")} in ${formatDuration(condition.window)}, fewer than ${condition.minSamples}`);
  const value = percentile(samples.map((sample) => sample.latencyMs!).sort((a, b) => a - b), condition.percentile)!;
  const clearBelow = condition.clearBelow ?? condition.above;
  const slow = (sample: Sample) => sample.latencyMs! > condition.above;
  return {
    value,
    fire: value > condition.above,
    hold: value >= clearBelow,
    detail: `P${condition.percentile} ${Math.round(value)} ms over ${formatDuration(condition.window)} (fires above ${condition.above} ms, clears below ${clearBelow} ms)`,
    checks: ids(samples, slow),
    onset: onsetOf(samples, slow),
  };
}

function readMetric(condition: Extract<AlertCondition, { type: "metric" }>, context: ConditionContext): Reading {
  const above = condition.above !== undefined;
  const threshold = (above ? condition.above : condition.below)!;
  const clearAt = condition.clearAt ?? threshold;
  const worse = (a: number, b: number) => (above ? a > b : a < b);
  let worst: { value: number; check: string } | undefined;
  for (const target of context.targets) {
    const samples = condition.window ? within({ ...context, targets: [target] }, condition.window) : (context.samples.get(target.id) ?? []);
    const values = samples.map((sample) => sample.metrics?.[condition.metric]).filter((value): value is number => value !== undefined);
    if (values.length === 0) continue;
    const value = condition.window ? values.reduce((sum, v) => sum + v, 0) : values.at(-1)!;
    if (!worst || worse(value, worst.value)) worst = { value, check: target.id };
  }
  const what = condition.window ? `${condition.metric} over ${formatDuration(condition.window)}` : condition.metric;
  if (!worst) return noData(`no ${what} reading`);
  return {
    value: worst.value,
    fire: worse(worst.value, threshold),
    hold: worse(worst.value, clearAt),
    detail: `${what} is ${worst.value} on ${worst.check} (fires ${above ? "above" : "below"} ${threshold}, clears at ${clearAt})`,
    checks: [worst.check],
  };
}

function readAbsence(condition: Extract<AlertCondition, { type: "absence" }>, context: ConditionContext): Reading {
  let longest: { silence: number; check: string; since: number } | undefined;
  const silent: string[] = [];
  for (const target of context.targets) {
    // A heartbeat is alive only when a beat arrived; the probe's own "no beat" samples are not one.
    const alive = target.type === "heartbeat" ? (sample: Sample) => sample.state === "up" || sample.state === "degraded" : () => true;
    const last = (context.samples.get(target.id) ?? []).findLast(alive);
    const state = context.states[target.id];
    const known = [last?.at, target.type === "heartbeat" ? state?.lastSuccessAt : state?.lastSampleAt].filter((at): at is string => at !== undefined);
    const since = known.length ? Math.max(...known.map((at) => Date.parse(at))) : context.watchingSince;
    const silence = context.now - since;
    if (silence > condition.for) silent.push(target.id);
    if (!longest || silence > longest.silence) longest = { silence, check: target.id, since };
  }
  if (!longest) return noData("no check to watch");
  return {
    value: longest.silence,
    fire: silent.length > 0,
    hold: silent.length > 0,
    detail: `${longest.check} silent for ${formatDuration(Math.floor(longest.silence / 1000) * 1000)} (fires after ${formatDuration(condition.for)})`,
    checks: silent.length ? silent : [longest.check],
    onset: longest.since,
  };
}

function measure(metric: string, samples: readonly Sample[]): number | undefined {
  if (metric === "errors") return samples.filter(failing).length;
  if (metric === "latency") {
    const latencies = samples.filter((sample) => counted(sample) && sample.latencyMs !== undefined).map((sample) => sample.latencyMs!);
    return latencies.length ? latencies.reduce((sum, v) => sum + v, 0) / latencies.length : undefined;
  }
  const values = samples.map((sample) => sample.metrics?.[metric]).filter((value): value is number => value !== undefined);
  return values.length ? values.reduce((sum, v) => sum + v, 0) : undefined;
}

function measureRollups(metric: string, rollups: readonly Rollup[]): number | undefined {
  if (metric === "errors") return rollups.reduce((sum, rollup) => sum + rollup.down, 0);
  if (metric === "latency") {
    const p50s = rollups.filter((rollup) => rollup.p50 !== undefined).map((rollup) => rollup.p50!);
    return p50s.length ? p50s.reduce((sum, v) => sum + v, 0) / p50s.length : undefined;
  }
  const values = rollups.map((rollup) => rollup.metrics?.[metric]).filter((value): value is number => value !== undefined);
  return values.length ? values.reduce((sum, v) => sum + v, 0) : undefined;
}

const HOUR = 3_600_000;

/** Hourly rollups (oldest first) starting in [from, to), found from the newest back: a run looks at a day, not the whole history. */
function hoursBetween(hourly: readonly Rollup[], from: number, to: number): Rollup[] {
  const found: Rollup[] = [];
  for (let index = hourly.length - 1; index >= 0; index--) {
    const start = Date.parse(hourly[index]!.start);
    if (start < from) break;
    if (start < to) found.push(hourly[index]!);
  }
  return found;
}

/**
 * The current window of an anomaly rule: the hourly rollups of its complete hours plus the samples of the
 * hour under way, so a day-long window costs a run one hour of samples, not a day of them.
 */
function currentWindow(condition: Extract<AlertCondition, { type: "anomaly" }>, context: ConditionContext): number | undefined {
  if (condition.window <= HOUR) return measure(condition.metric, within(context, condition.window));
  const hourStart = context.now - (context.now % HOUR);
  const fresh = within(context, context.now - hourStart);
  const complete = context.targets.flatMap((target) => hoursBetween(context.history[target.id]?.hourly ?? [], context.now - condition.window, hourStart));
  if (condition.metric === "latency") {
    const latencies = fresh.filter((sample) => counted(sample) && sample.latencyMs !== undefined).map((sample) => sample.latencyMs!);
    const weighted = complete.filter((rollup) => rollup.p50 !== undefined);
    const count = latencies.length + weighted.reduce((sum, rollup) => sum + rollup.count, 0);
    const total = latencies.reduce((sum, v) => sum + v, 0) + weighted.reduce((sum, rollup) => sum + rollup.p50! * rollup.count, 0);
    return count ? total / count : undefined;
  }
  const parts = [measure(condition.metric, fresh), measureRollups(condition.metric, complete)].filter((value): value is number => value !== undefined);
  return parts.length ? parts.reduce((sum, v) => sum + v, 0) : undefined;
}

function readAnomaly(condition: Extract<AlertCondition, { type: "anomaly" }>, context: ConditionContext): Reading {
  const current = currentWindow(condition, context);
  const bucket = condition.window >= 86_400_000 ? { key: "daily" as const, size: 86_400_000 } : { key: "hourly" as const, size: 3_600_000 };
  const until = context.now - condition.window;
  const from = until - condition.baseline;
  const rollups = context.targets.flatMap((target) =>
    (context.history[target.id]?.[bucket.key] ?? []).filter((rollup) => Date.parse(rollup.start) >= from && Date.parse(rollup.start) + bucket.size <= until),
  );
  const covered = new Set(rollups.map((rollup) => rollup.start)).size * bucket.size;
  // A baseline needs enough history to mean something: at least half of the baseline period.
  if (current === undefined || covered * 2 < condition.baseline) return noData(`not enough history for a ${formatDuration(condition.baseline)} baseline`);
  const total = measureRollups(condition.metric, rollups) ?? 0;
  const baseline = condition.metric === "latency" ? total : (total * condition.window) / covered;
  const limit = baseline * condition.factor;
  const detail = `${condition.metric} ${round(current)} in the last ${formatDuration(condition.window)} vs ${round(baseline)} on average (fires above ${round(limit)})`;
  // A zero baseline would make any single event an anomaly; that is what `errors` and `metric` rules are for.
  if (baseline <= 0) return { value: current, fire: false, hold: false, detail: `${detail}; no baseline activity`, checks: [] };
  return { value: round(current), fire: current > limit, hold: current > limit, detail, checks: context.targets.map((target) => target.id) };
}

export function readCondition(condition: AlertCondition, context: ConditionContext): Reading {
  switch (condition.type) {
    case "state":
      return readState(condition, context);
    case "errors":
      return readErrors(condition, context);
    case "errorRate":
      return readErrorRate(condition, context);
    case "latency":
      return readLatency(condition, context);
    case "metric":
      return readMetric(condition, context);
    case "absence":
      return readAbsence(condition, context);
    case "anomaly":
      return readAnomaly(condition, context);
  }
}

/** How far back samples must reach for a condition to be read (the engine loads at least this much). */
export function lookbackOf(condition: AlertCondition, longestCadence: number): number {
  switch (condition.type) {
    case "state":
      return (condition.for + 10) * longestCadence;
    case "errors":
      return condition.within;
    case "errorRate":
    case "latency":
      return condition.window;
    case "metric":
      return condition.window ?? 3 * longestCadence;
    case "absence":
      return condition.for + longestCadence;
    case "anomaly":
      return Math.min(condition.window, HOUR);
  }
}
