/**
 * Provider confidence signals (docs/signals.md). Pure: everything comes from the arguments.
 *
 * A provider with recent samples scores  ceiling(readiness) × (0.60·available + 0.25·fast + 0.15·fresh),
 * minus the worst open incident's penalty, capped below the blocked line while a check is confirmed down.
 * A provider without samples scores inside its readiness band by the share of readiness tasks done.
 */
import type { CheckStatus, Readiness } from "./schema/enums.ts";
import type { IncidentSeverity } from "./schema/enums.ts";

export type SignalClass = "operational" | "degraded" | "blocked" | "planned";

export interface SignalSettings {
  /** At or above: operational. */
  operational: number;
  /** Below: blocked. */
  blocked: number;
  /** Evidence older than this many cadences counts as not fresh at all. */
  stale: number;
}

/** What one check contributes: sample counts inside the signal window and its current confirmed status. */
export interface CheckEvidence {
  check: string;
  cadenceMs: number;
  up: number;
  degraded: number;
  down: number;
  lastSampleAt?: string;
  status?: CheckStatus;
}

export interface SignalInput {
  readiness: Readiness;
  readinessTasks: { task: string; done: boolean }[];
  checks: CheckEvidence[];
  openIncidents: { id: string; severity?: IncidentSeverity }[];
}

export interface BreakdownItem {
  /** What moved the signal, e.g. "availability". */
  factor: string;
  /** Points added (positive) or taken away (negative). */
  points: number;
  detail: string;
}

export interface Signal {
  score: number;
  class: SignalClass;
  /** Newest sample of any of the provider's checks; absent when the signal rests on readiness alone. */
  lastSignalAt?: string;
  /** Whether the score comes from samples (measured) or from readiness tasks (declared). */
  basis: "samples" | "readiness";
  breakdown: BreakdownItem[];
}

export const WEIGHTS = { available: 0.6, fast: 0.25, fresh: 0.15 } as const;
export const CEILING: Record<Readiness, number> = { planned: 40, documented: 70, live: 95, active: 95 };
export const READINESS_BAND: Record<Readiness, [number, number]> = {
  planned: [30, 40],
  documented: [40, 70],
  live: [70, 95],
  active: [70, 95],
};
export const INCIDENT_PENALTY: Record<IncidentSeverity, number> = { "SEV-1": 30, "SEV-2": 20, "SEV-3": 10, "SEV-4": 5 };

const round = (value: number) => Math.round(value + 1e-9);
const percent = (fraction: number) => `${round(fraction * 100)} %`;

export function computeSignal(input: SignalInput, now: Date, settings: SignalSettings): Signal {
  const withSamples = input.checks.filter((check) => check.up + check.degraded + check.down > 0);
  const result = withSamples.length > 0 ? measured(input, withSamples, now, settings) : declared(input);
  let { score } = result;
  const breakdown = [...result.breakdown];

  const worst = input.openIncidents
    .filter((incident) => incident.severity)
    .sort((a, b) => INCIDENT_PENALTY[b.severity!] - INCIDENT_PENALTY[a.severity!])[0];
  if (worst) {
    const penalty = Math.min(score, INCIDENT_PENALTY[worst.severity!]);
    score -= penalty;
    breakdown.push({ factor: "open incident", points: -penalty, detail: `${worst.id} (${worst.severity}) is open` });
  }
  const downNow = input.checks.filter((check) => check.status === "down");
  if (downNow.length > 0 && score >= settings.blocked) {
    const cap = settings.blocked - 1;
    breakdown.push({ factor: "down now", points: cap - score, detail: `${downNow.map((check) => check.check).join(", ")} confirmed down: capped at ${cap}` });
    score = cap;
  }
  const final = Math.max(0, Math.min(100, round(score)));
  return {
    score: final,
    class: classify(input.readiness, final, downNow.length > 0, settings),
    lastSignalAt: result.lastSignalAt,
    basis: result.basis,
    breakdown,
  };
}

function measured(input: SignalInput, checks: CheckEvidence[], now: Date, settings: SignalSettings) {
  const ceiling = CEILING[input.readiness];
  const total = checks.reduce((sum, check) => sum + check.up + check.degraded + check.down, 0);
  const up = checks.reduce((sum, check) => sum + check.up, 0);
  const notDown = checks.reduce((sum, check) => sum + check.up + check.degraded, 0);
  const available = notDown / total;
  const fast = up / total;
  const freshness = checks.map((check) => freshnessOf(check, now, settings.stale));
  const fresh = Math.min(...freshness.map((entry) => entry.value));
  const stalest = freshness.find((entry) => entry.value === fresh)!;
  const lastSignalAt = checks
    .map((check) => check.lastSampleAt)
    .filter((at): at is string => Boolean(at))
    .sort()
    .at(-1);
  const breakdown: BreakdownItem[] = [
    { factor: "readiness", points: ceiling, detail: `${input.readiness}: measured signals start at ${ceiling}` },
    {
      factor: "availability",
      points: -ceiling * WEIGHTS.available * (1 - available),
      detail: `${percent(available)} of ${total} samples were not down`,
    },
    {
      factor: "latency",
      points: -ceiling * WEIGHTS.fast * (1 - fast),
      detail: `${percent(fast)} of samples were up within the latency objective`,
    },
    { factor: "freshness", points: -ceiling * WEIGHTS.fresh * (1 - fresh), detail: stalest.detail },
  ];
  const score = ceiling * (WEIGHTS.available * available + WEIGHTS.fast * fast + WEIGHTS.fresh * fresh);
  return { score, breakdown, lastSignalAt, basis: "samples" as const };
}

function freshnessOf(check: CheckEvidence, now: Date, stale: number): { value: number; detail: string } {
  if (!check.lastSampleAt) return { value: 0, detail: `${check.check} has no sample` };
  const ageCadences = (now.getTime() - Date.parse(check.lastSampleAt)) / check.cadenceMs;
  const value = ageCadences <= 2 ? 1 : ageCadences >= stale ? 0 : (stale - ageCadences) / (stale - 2);
  const age = ageCadences < 10 ? ageCadences.toFixed(1) : String(round(ageCadences));
  return { value, detail: `${check.check}'s newest sample is ${age} cadences old (fresh up to 2, stale at ${stale})` };
}

function declared(input: SignalInput) {
  const [low, high] = READINESS_BAND[input.readiness];
  const total = input.readinessTasks.length;
  const done = input.readinessTasks.filter((task) => task.done).length;
  const share = total === 0 ? 0 : done / total;
  const breakdown: BreakdownItem[] = [
    { factor: "readiness", points: low, detail: `${input.readiness} without samples: band ${low}–${high}` },
    {
      factor: "readiness tasks",
      points: (high - low) * share,
      detail: total === 0 ? "no readiness tasks listed" : `${done} of ${total} readiness tasks done`,
    },
  ];
  return { score: low + (high - low) * share, breakdown, lastSignalAt: undefined, basis: "readiness" as const };
}

export function classify(readiness: Readiness, score: number, downNow: boolean, settings: SignalSettings): SignalClass {
  if (readiness === "planned") return "planned";
  if (downNow || score < settings.blocked) return "blocked";
  if (score >= settings.operational) return "operational";
  return "degraded";
}

export interface RankedProvider {
  id: string;
  name: string;
  lane: string;
  recovery: string;
  signal: Signal;
}

export interface LaneSummary {
  id: string;
  name: string;
  signals: number;
  blocked: number;
  watch: number;
  planned: number;
  average: number;
  action: string;
  /** The provider whose recovery action the card shows. */
  actionFrom?: string;
}

export interface RoomSummary {
  counters: { operational: number; degraded: number; blocked: number; planned: number; average: number };
  lanes: LaneSummary[];
  queue: RankedProvider[];
  priority: RankedProvider[];
}

const URGENCY: Record<SignalClass, number> = { blocked: 0, degraded: 1, planned: 2, operational: 3 };

/** The signal queue: strongest first (the seed's order), fresher evidence first among equals. */
export function rankQueue<P extends RankedProvider>(providers: readonly P[]): P[] {
  return [...providers].sort(
    (a, b) =>
      b.signal.score - a.signal.score ||
      (b.signal.lastSignalAt ?? "").localeCompare(a.signal.lastSignalAt ?? "") ||
      a.name.localeCompare(b.name),
  );
}

/** The provider a lane card should act on first: blocked before degraded before planned, weakest first. */
export function mostUrgent<P extends RankedProvider>(providers: readonly P[]): P | undefined {
  return [...providers].sort((a, b) => URGENCY[a.signal.class] - URGENCY[b.signal.class] || a.signal.score - b.signal.score)[0];
}

const average = (scores: number[]) => (scores.length === 0 ? 0 : round(scores.reduce((sum, score) => sum + score, 0) / scores.length));

export function summariseRoom<P extends RankedProvider>(
  lanes: readonly { id: string; name?: string; emptyAction: string }[],
  providers: readonly P[],
): RoomSummary & { queue: P[]; priority: P[] } {
  const queue = rankQueue(providers);
  const count = (signalClass: SignalClass) => providers.filter((provider) => provider.signal.class === signalClass).length;
  return {
    counters: {
      operational: count("operational"),
      degraded: count("degraded"),
      blocked: count("blocked"),
      planned: count("planned"),
      average: average(providers.map((provider) => provider.signal.score)),
    },
    lanes: lanes.map((lane) => {
      const members = providers.filter((provider) => provider.lane === lane.id);
      const urgent = mostUrgent(members);
      return {
        id: lane.id,
        name: lane.name ?? lane.id,
        signals: members.length,
        blocked: members.filter((provider) => provider.signal.class === "blocked").length,
        watch: members.filter((provider) => provider.signal.class === "degraded").length,
        planned: members.filter((provider) => provider.signal.class === "planned").length,
        average: average(members.map((provider) => provider.signal.score)),
        action: urgent?.recovery ?? lane.emptyAction,
        actionFrom: urgent?.id,
      };
    }),
    queue,
    priority: queue.filter((provider) => provider.signal.class === "degraded" || provider.signal.class === "blocked"),
  };
}
