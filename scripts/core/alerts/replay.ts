/**
 * Replays a sample trace through the rules, run by run, as the probe would have evaluated it: for
 * `alert simulate` and the alert-quality bench. It shows what would have fired, when and to whom; delivery
 * is not simulated (a notification held by quiet hours says until when).
 */
import { advanceChecks } from "../check-state.ts";
import { allChecks, type AlertRule, type Config, type Incident, type Provider, type RouteBase } from "../model.ts";
import type { AlertState, CheckState, Notification, Sample } from "../schema/records.ts";
import type { History } from "./conditions.ts";
import { evaluateRules, lookback, type AlertConfig } from "./evaluate.ts";
import type { AlertEvent } from "./events.ts";
import { planNotifications } from "./plan.ts";
import { rollupSamples } from "../rollup.ts";

export interface ReplayInput {
  rules: readonly AlertRule[];
  config: AlertConfig & Pick<Config, "page">;
  providers: readonly Provider[];
  routes: readonly RouteBase[];
  incidents: readonly Incident[];
  /** The trace, oldest first. */
  samples: readonly Sample[];
  history?: Readonly<Record<string, History>>;
  /** Evaluation times; by default every distinct sample time. */
  runs?: readonly Date[];
}

export interface ReplayStep {
  at: Date;
  events: AlertEvent[];
  /** Notifications planned in this run (some may be held until quiet hours end: `nextAttemptAt`). */
  notifications: Notification[];
  alerts: Record<string, AlertState>;
}

export function* replay(input: ReplayInput): Generator<ReplayStep> {
  const samples = [...input.samples].sort((a, b) => a.at.localeCompare(b.at));
  const runs = input.runs ?? [...new Set(samples.map((sample) => sample.at))].map((at) => new Date(at));
  const reach = lookback(input.rules, input.providers);
  let alerts: Record<string, AlertState> = {};
  let checks: Record<string, CheckState> = {};
  const targets = allChecks({ providers: [...input.providers] });
  let applied = 0;
  let first = 0;
  let last = 0;
  for (const at of runs) {
    const now = at.getTime();
    while (last < samples.length && Date.parse(samples[last]!.at) <= now) last++;
    while (first < last && Date.parse(samples[first]!.at) <= now - reach) first++;
    const recent = samples.slice(first, last);
    // Check states advance as in a probe run, so state rules see confirmed states; only the samples new since
    // the last step need applying (the state machine has the rest).
    checks = advanceChecks(targets, checks, samples.slice(applied, last), at, { stale: input.config.page.stale }).checks;
    applied = last;
    const outcome = evaluateRules({
      now: at,
      rules: input.rules,
      config: input.config,
      providers: input.providers,
      samples: recent,
      checks,
      history: input.history,
      incidents: input.incidents,
      alerts,
    });
    alerts = outcome.alerts;
    // Each run's notifications are new (their keys name this run's events), so nothing has to be carried along.
    const notifications = planNotifications({ now: at, events: outcome.events, rules: input.rules, providers: input.providers, routes: input.routes, alerts, outbox: [] });
    yield { at, events: outcome.events, notifications, alerts };
  }
}

/** Hourly and daily rollups of a trace, per check: the anomaly baselines a replay reads. */
export function historyOf(samples: readonly Sample[], cadence: number): Record<string, History> {
  const byCheck = new Map<string, Sample[]>();
  for (const sample of samples) byCheck.set(sample.check, [...(byCheck.get(sample.check) ?? []), sample]);
  return Object.fromEntries([...byCheck].map(([check, own]) => [check, { hourly: rollupSamples(own, "hour", cadence), daily: rollupSamples(own, "day", cadence) }]));
}
