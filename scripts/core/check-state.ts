/**
 * The check state machine (docs/probe-run.md). Pure: the new state is a function of the checks, the
 * previous state, the samples and the time.
 *
 * Each region runs its own thresholds: `failureThreshold` consecutive down samples confirm down (backdated
 * to the first of them), `recoveryThreshold` consecutive passing samples confirm the recovery; degraded
 * samples move a check between up and degraded with the same thresholds. The check's status is the status
 * a majority of the recently reporting regions agree on; without a majority it keeps its status. A check
 * without a conclusive sample for `stale` × cadence is unknown, never up.
 */
import type { CheckBase, ResolvedCheck } from "./model.ts";
import type { CheckStatus } from "./schema/enums.ts";
import { checkState, type CheckState, type ConclusiveState, type RegionState, type Sample } from "./schema/records.ts";

/** A change of a check's confirmed status, for alert rules and incidents. */
export interface Transition {
  check: string;
  provider: string;
  from: CheckStatus;
  to: CheckStatus;
  /** When the change was confirmed: the sample that completed it, or the time staleness was noticed. */
  at: string;
  /** When the new status really began: the first sample of the confirming streak (backdated). */
  since: string;
}

export interface CheckAdvance {
  checks: Record<string, CheckState>;
  transitions: Transition[];
}

export interface StateSettings {
  /** A check without a conclusive sample for this many cadences is unknown (`page.stale`). */
  stale: number;
}

type Timed = { at: string; state: ConclusiveState };

const ms = (at: string) => Date.parse(at);
const iso = (time: number) => new Date(time).toISOString();

/**
 * Applies samples (any order, any regions; samples already applied are skipped, so feeding the same
 * samples twice changes nothing) and staleness at `now`. Checks missing from `checks` (removed or
 * disabled) drop out of the state.
 */
export function advanceChecks<C extends CheckBase>(
  checks: readonly ResolvedCheck<C>[],
  previous: Readonly<Record<string, CheckState>>,
  samples: readonly Sample[],
  now: Date,
  settings: StateSettings = { stale: 3 },
): CheckAdvance {
  const byCheck = Map.groupBy(samples, (sample) => sample.check);
  const result: CheckAdvance = { checks: {}, transitions: [] };
  for (const check of checks) {
    if (!check.enabled) continue;
    // Each time parsed once: the state machine sees every recent sample on every run.
    const ordered = (byCheck.get(check.id) ?? []).map((sample) => ({ sample, at: ms(sample.at) })).sort((a, b) => a.at - b.at);
    const { state, transitions } = advanceCheck(check, previous[check.id], ordered, now, settings.stale);
    result.checks[check.id] = state;
    result.transitions.push(...transitions);
  }
  return result;
}

function advanceCheck(
  check: ResolvedCheck<CheckBase>,
  previous: CheckState | undefined,
  samples: readonly { sample: Sample; at: number }[],
  now: Date,
  stale: number,
): { state: CheckState; transitions: Transition[] } {
  const state: CheckState = previous
    ? { ...previous, regions: copyRegions(previous.regions), provider: check.provider, type: check.type, cadenceMs: check.cadence }
    : { provider: check.provider, type: check.type, cadenceMs: check.cadence, status: "unknown", since: now.toISOString(), failStreak: 0, okStreak: 0, regions: {} };
  const staleMs = stale * check.cadence;
  const window = Math.max(check.failureThreshold, check.recoveryThreshold);
  const transitions: Transition[] = [];
  const settle = (at: number) => {
    const transition = decide(state, at, staleMs);
    if (transition) transitions.push({ check: check.id, provider: check.provider, ...transition });
  };

  const applied = new Map(Object.entries(state.regions).map(([name, region]) => [name, ms(region.lastSampleAt)]));
  for (const { sample, at } of samples) {
    const region = state.regions[sample.region];
    if (at <= (applied.get(sample.region) ?? -Infinity)) continue;
    applied.set(sample.region, at);
    // Staleness reached during a silence is noticed before the sample that ends it.
    settle(at);
    const next: RegionState = region ?? { status: "unknown", since: sample.at, lastSampleAt: sample.at, recent: [] };
    next.lastSampleAt = sample.at;
    state.regions[sample.region] = next;
    recordLast(state, sample);
    if (sample.state === "error") continue;
    const last = next.recent.at(-1);
    if (last && at - ms(last.at) > staleMs) {
      // The region was silent past the stale window: old streaks say nothing about now.
      Object.assign(next, { status: "unknown", since: sample.at, recent: [] });
    }
    next.recent = [...next.recent, { at: sample.at, state: sample.state }].slice(-window);
    stepRegion(next, check.failureThreshold, check.recoveryThreshold);
    settle(at);
  }
  settle(now.getTime());
  return { state: inSchemaOrder(state), transitions };
}

/**
 * The previous state is never changed: each region object is copied, since the thresholds change its fields in
 * place (its `recent` list is always replaced, never pushed to). Cheaper than a deep clone, which matters to a
 * replay that advances the states at every one of a month's runs.
 */
function copyRegions(regions: CheckState["regions"]): CheckState["regions"] {
  return Object.fromEntries(Object.entries(regions).map(([name, region]) => [name, { ...region }]));
}

const SCHEMA_ORDER = Object.keys(checkState.shape) as (keyof CheckState)[];

/** Fields in the schema's order whatever order they were set in, so state.json diffs stay small. */
function inSchemaOrder(state: CheckState): CheckState {
  const ordered: Record<string, unknown> = {};
  for (const key of SCHEMA_ORDER) if (state[key] !== undefined) ordered[key] = state[key];
  return ordered as CheckState;
}

/** The newest sample's details and the streaks across all regions. */
function recordLast(state: CheckState, sample: Sample): void {
  if (state.lastSampleAt === undefined || ms(sample.at) >= ms(state.lastSampleAt)) {
    state.lastSampleAt = sample.at;
    state.lastState = sample.state;
    assignOptional(state, "lastLatencyMs", sample.latencyMs);
    assignOptional(state, "lastStatusCode", sample.status);
    assignOptional(state, "lastMetrics", sample.metrics);
    const failed = (sample.conditions ?? []).filter((condition) => !condition.ok);
    assignOptional(state, "failedConditions", failed.length > 0 ? failed : undefined);
  }
  if (sample.error !== undefined && (sample.state === "down" || sample.state === "error")) state.lastError = sample.error;
  if (sample.state === "down") {
    state.lastFailureAt = later(state.lastFailureAt, sample.at);
    state.failStreak += 1;
    state.okStreak = 0;
  } else if (sample.state !== "error") {
    state.lastSuccessAt = later(state.lastSuccessAt, sample.at);
    state.okStreak += 1;
    state.failStreak = 0;
  }
}

function assignOptional<K extends keyof CheckState>(state: CheckState, key: K, value: CheckState[K] | undefined): void {
  if (value === undefined) delete state[key];
  else state[key] = value;
}

function later(current: string | undefined, candidate: string): string {
  return current === undefined || ms(candidate) > ms(current) ? candidate : current;
}

/** Trailing run of `recent` whose entries satisfy `matches`: its length and first sample. */
function trailing(recent: readonly Timed[], matches: (state: ConclusiveState) => boolean): { length: number; since?: string } {
  let length = 0;
  while (length < recent.length && matches(recent[recent.length - 1 - length]!.state)) length += 1;
  return { length, since: recent[recent.length - length]?.at };
}

/** One region's thresholds: worse needs `failure` samples in a row, better needs `recovery`. */
function stepRegion(region: RegionState, failure: number, recovery: number): void {
  const down = trailing(region.recent, (state) => state === "down");
  const notDown = trailing(region.recent, (state) => state !== "down");
  const up = trailing(region.recent, (state) => state === "up");
  const impaired = trailing(region.recent, (state) => state !== "up");
  let next: [CheckStatus, string | undefined] | undefined;
  if (down.length >= failure) next = ["down", down.since];
  else if (region.status === "down") {
    if (notDown.length >= recovery) next = up.length >= recovery ? ["up", up.since] : ["degraded", notDown.since];
  } else if (impaired.length >= failure) next = ["degraded", impaired.since];
  // From unknown one passing sample is enough: there is no outage to confirm the end of.
  else if (region.status !== "up" && up.length >= (region.status === "unknown" ? 1 : recovery)) next = ["up", up.since];
  if (next && next[0] !== region.status) {
    region.status = next[0];
    region.since = next[1]!;
  }
}

/** The status the recently reporting regions agree on at `at`, applied to the check. */
function decide(state: CheckState, at: number, staleMs: number): Omit<Transition, "check" | "provider"> | undefined {
  const regions = Object.values(state.regions).filter((region) => region.recent.length > 0);
  const voters = regions.filter((region) => at - ms(region.recent.at(-1)!.at) <= staleMs);
  let target: CheckStatus;
  let since: string;
  if (voters.length === 0) {
    if (regions.length === 0) return undefined;
    target = "unknown";
    since = iso(Math.max(...regions.map((region) => ms(region.recent.at(-1)!.at))) + staleMs);
  } else {
    const counts = Map.groupBy(voters, (voter) => voter.status);
    const majority = [...counts.entries()].find(([, agreeing]) => agreeing.length * 2 > voters.length);
    if (!majority) return undefined;
    [target] = majority;
    since = iso(Math.min(...majority[1].map((region) => ms(region.since))));
    // Down again after a silence that never showed a recovery: the same outage goes on.
    if (target === "down" && state.status === "unknown" && state.outageStartedAt) since = state.outageStartedAt;
  }
  if (target === state.status) return undefined;
  const from = state.status;
  state.status = target;
  state.since = since;
  if (target === "down") state.outageStartedAt = since;
  else if (target !== "unknown") delete state.outageStartedAt;
  return { from, to: target, at: iso(at), since };
}
