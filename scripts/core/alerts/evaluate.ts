/**
 * Alert rule evaluation, pure: (rules, config, providers, samples, previous alert states, now) → next alert
 * states + events. One alert per rule. It decides every timing (fire, hold for minFiring, clear, remind,
 * escalate, raise) so the notification planner only turns events into messages.
 */
import { createHash } from "node:crypto";
import type { AlertRule, Config, Incident, Provider } from "../model.ts";
import type { Severity } from "../schema/enums.ts";
import type { AlertState, CheckState, Sample } from "../schema/records.ts";
import { lookbackOf, readCondition, type History, type Reading, type Target } from "./conditions.ts";
import type { AlertEvent } from "./events.ts";
import { maintenanceCalendar, type MaintenanceCalendar } from "./maintenance.ts";
import { insideWindow } from "./windows.ts";

export type AlertConfig = Pick<Config, "severityRoutes" | "escalationPolicies" | "defaultEscalationPolicy">;

export interface AlertInput {
  now: Date;
  rules: readonly AlertRule[];
  config: AlertConfig;
  providers: readonly Provider[];
  /** Recent samples of every check, at least `lookback(...)` back. */
  samples: readonly Sample[];
  /** Check states, for what lies before the samples (last sample, last success). */
  checks?: Readonly<Record<string, CheckState>>;
  /** Hourly and daily rollups per check, for anomaly baselines. */
  history?: Readonly<Record<string, History>>;
  /** Incidents: maintenance windows mute alerts, and a linked incident's `acknowledged` acknowledges its alert. */
  incidents: readonly Incident[];
  alerts: Readonly<Record<string, AlertState>>;
}

export interface AlertOutcome {
  alerts: Record<string, AlertState>;
  events: AlertEvent[];
}

const SEVERITY_ORDER: Severity[] = ["info", "warning", "high", "critical"];

/** Hash of what decides when a rule fires: editing any of it resets the rule's state. */
export function ruleHash(rule: AlertRule): string {
  const definition = { checks: rule.checks, providers: rule.providers, condition: rule.condition, activeDuring: rule.activeDuring, minFiring: rule.minFiring };
  return createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 12);
}

/** `stripe-webhook-down@20261116T1045Z`: the key every channel uses to find this episode again. */
export function episodeKey(rule: string, firedAt: string): string {
  return `${rule}@${firedAt.slice(0, 16).replace(/[-:]/g, "")}Z`;
}

export function targetsOf(rule: AlertRule, providers: readonly Provider[]): Target[] {
  const wanted = new Set(rule.checks);
  const watched = new Set(rule.providers);
  return providers.flatMap((provider) =>
    provider.checks
      .filter((check) => check.enabled && (wanted.has(check.id) || watched.has(provider.id)))
      .map((check) => ({ id: check.id, provider: provider.id, type: check.type, cadence: check.cadence, recoveryThreshold: check.recoveryThreshold })),
  );
}

/** How far back the samples handed to `evaluateRules` must reach. */
export function lookback(rules: readonly AlertRule[], providers: readonly Provider[]): number {
  const cadences = providers.flatMap((provider) => provider.checks.map((check) => check.cadence));
  const longest = Math.max(60_000, ...cadences);
  return Math.max(longest * 3, ...rules.map((rule) => lookbackOf(rule.condition, longest)));
}

/** Routes for a rule at a severity: its own, or the defaults for the severity. */
export function routesFor(rule: AlertRule, severity: Severity, config: AlertConfig): string[] {
  return rule.routes ?? config.severityRoutes[severity];
}

/** The escalation policy that pages for a rule at a severity, if any (docs/alerting.md "Which policy"). */
export function policyFor(rule: AlertRule, severity: Severity, providers: readonly Provider[], config: AlertConfig) {
  const named = rule.escalationPolicy ?? (severity === "critical" ? (providers.find((p) => p.escalationPolicy)?.escalationPolicy ?? config.defaultEscalationPolicy) : undefined);
  return named === undefined ? undefined : config.escalationPolicies.find((policy) => policy.id === named);
}

function freshState(hash: string, now: string): AlertState {
  return { hash, state: "ok", since: now, checks: [], notifiedRoutes: [], escalationStep: 0 };
}

/** Acknowledges a firing alert (from the CLI or a linked incident); no-op when it is not firing or already acknowledged. */
export function acknowledge(
  state: AlertState,
  rule: string,
  severity: Severity,
  at: Date,
  by: string | undefined,
  providers: string[],
): { state: AlertState; event?: AlertEvent } {
  if (state.state !== "firing" || state.acknowledgedAt || !state.episode) return { state };
  const next: AlertState = { ...state, acknowledgedAt: at.toISOString(), acknowledgedBy: by };
  return {
    state: next,
    event: { type: "acknowledged", rule, at: at.toISOString(), episode: state.episode, severity, routes: state.muted ? [] : state.notifiedRoutes, checks: state.checks, providers, by },
  };
}

function groupSamples(samples: readonly Sample[], calendar: MaintenanceCalendar, providerOf: Map<string, string>): Map<string, Sample[]> {
  const byCheck = new Map<string, Sample[]>();
  for (const sample of samples) {
    const provider = providerOf.get(sample.check);
    if (provider === undefined || calendar.at(provider, Date.parse(sample.at))) continue;
    const list = byCheck.get(sample.check);
    if (list) list.push(sample);
    else byCheck.set(sample.check, [sample]);
  }
  for (const list of byCheck.values()) list.sort((a, b) => a.at.localeCompare(b.at));
  return byCheck;
}

export function evaluateRules(input: AlertInput): AlertOutcome {
  const now = input.now.toISOString();
  const nowMs = input.now.getTime();
  const oldest = input.samples.reduce((min, sample) => Math.min(min, Date.parse(sample.at)), nowMs);
  const calendar = maintenanceCalendar(input.incidents, oldest, nowMs + 1);
  const providerOf = new Map(input.providers.flatMap((provider) => provider.checks.map((check) => [check.id, provider.id] as const)));
  const samples = groupSamples(input.samples, calendar, providerOf);
  const alerts: Record<string, AlertState> = {};
  const events: AlertEvent[] = [];

  for (const [id, previous] of Object.entries(input.alerts)) {
    if (!input.rules.some((rule) => rule.id === id) && previous.state === "firing" && previous.episode) {
      events.push(clearedEvent(id, previous, "rule-removed", now, previous.raisedTo ?? "info", [], "the rule was removed"));
    }
  }

  for (const rule of input.rules) {
    const hash = ruleHash(rule);
    const targets = targetsOf(rule, input.providers);
    const providers = [...new Set(targets.map((target) => target.provider))];
    const previous = input.alerts[rule.id];
    let state = previous?.hash === hash ? previous : freshState(hash, now);
    if (previous && previous.hash !== hash && previous.state === "firing" && previous.episode) {
      events.push(clearedEvent(rule.id, previous, "rule-changed", now, previous.raisedTo ?? rule.severity, providers, "the rule was edited, so its state starts over"));
    }

    const maintained = targets.filter((target) => calendar.at(target.provider, nowMs));
    const watched = targets.filter((target) => !maintained.includes(target));
    const suppressed = rule.suppressUntil !== undefined && nowMs < Date.parse(rule.suppressUntil);
    const muted =
      targets.length > 0 && watched.length === 0
        ? `maintenance ${[...new Set(maintained.map((target) => calendar.at(target.provider, nowMs)))].join(", ")}`
        : suppressed
          ? `suppressed until ${rule.suppressUntil}`
          : undefined;
    const active = !rule.activeDuring || insideWindow(rule.activeDuring, input.now);

    let reading: Reading | undefined;
    if (watched.length > 0 && active) {
      reading = readCondition(rule.condition, {
        now: nowMs,
        targets: watched,
        samples,
        states: input.checks ?? {},
        history: input.history ?? {},
        watchingSince: Date.parse(state.since),
      });
    }
    const severity = state.raisedTo ?? rule.severity;
    state = { ...state, lastEvaluatedAt: now, muted };
    if (reading) state = { ...state, value: reading.value, detail: reading.detail };
    else if (!active) state = { ...state, detail: "outside the rule's active hours" };

    if (state.state === "ok") {
      if (reading?.fire) {
        const episode = episodeKey(rule.id, now);
        const onsetAt = new Date(Math.min(reading.onset ?? nowMs, nowMs)).toISOString();
        state = { ...freshState(hash, now), lastEvaluatedAt: now, value: reading.value, detail: reading.detail, muted, state: "firing", firedAt: now, episode, onsetAt, checks: reading.checks };
        events.push({
          type: "fired",
          rule: rule.id,
          at: now,
          episode,
          severity: rule.severity,
          routes: [],
          checks: reading.checks,
          providers,
          onsetAt,
          value: reading.value,
          detail: reading.detail,
          muted,
          incident: incidentSeverityOf(rule),
        });
      }
    } else {
      const firedAt = Date.parse(state.firedAt!);
      const recovered = (reading !== undefined && !reading.hold) || (!active && watched.length > 0);
      if (recovered && nowMs - firedAt >= rule.minFiring) {
        // Reported even when nobody was told it fired (no route): the incident it opened moves on with it.
        events.push(clearedEvent(rule.id, state, active ? "recovered" : "inactive", now, severity, providers, reading?.detail ?? "outside the rule's active hours"));
        alerts[rule.id] = { ...freshState(hash, now), lastEvaluatedAt: now, value: state.value, detail: state.detail };
        continue;
      }
      if (reading && reading.checks.length > 0 && reading.hold) state = { ...state, checks: reading.checks };
    }

    if (state.state === "firing" && !muted) state = notifyFiring(rule, state, severity, providers, input, events);
    alerts[rule.id] = state;
  }
  return { alerts, events };
}

function notifyFiring(rule: AlertRule, firing: AlertState, severity: Severity, providers: string[], input: AlertInput, events: AlertEvent[]): AlertState {
  const now = input.now.toISOString();
  const nowMs = input.now.getTime();
  let state = firing;
  const base = { rule: rule.id, at: now, episode: state.episode!, checks: state.checks, providers };
  if (!state.notifiedAt) {
    const routes = routesFor(rule, rule.severity, input.config);
    const fired = events.find((event) => event.type === "fired" && event.rule === rule.id);
    if (fired) fired.routes = routes;
    else events.push({ ...base, type: "released", severity, routes, onsetAt: state.onsetAt!, detail: state.detail ?? "" });
    state = { ...state, notifiedAt: now, lastNotifiedAt: now, notifiedRoutes: [...routes] };
  }

  const incident = state.incident ? input.incidents.find((candidate) => candidate.frontmatter.id === state.incident) : undefined;
  const ackedAt = incident?.frontmatter.acknowledged;
  if (ackedAt && Date.parse(ackedAt) >= Date.parse(state.firedAt!)) {
    const acked = acknowledge(state, rule.id, severity, new Date(ackedAt), incident.frontmatter.commander, providers);
    state = acked.state;
    if (acked.event) events.push({ ...acked.event, at: now });
  }

  if (rule.reminder && !state.acknowledgedAt && state.lastNotifiedAt !== now && nowMs - Date.parse(state.lastNotifiedAt!) >= rule.reminder) {
    events.push({ ...base, type: "reminder", severity, routes: routesFor(rule, rule.severity, input.config), detail: state.detail ?? "" });
    state = { ...state, lastNotifiedAt: now };
  }

  const policy = policyFor(rule, severity, input.providers.filter((p) => providers.includes(p.id)), input.config);
  if (policy) {
    const elapsed = nowMs - Date.parse(state.notifiedAt!);
    while (!state.acknowledgedAt && state.escalationStep < policy.steps.length && elapsed >= policy.steps[state.escalationStep]!.after) {
      const step = policy.steps[state.escalationStep]!;
      const routes = step.notify.filter((route) => !state.notifiedRoutes.includes(route));
      state = { ...state, escalationStep: state.escalationStep + 1, notifiedRoutes: [...state.notifiedRoutes, ...routes] };
      if (routes.length > 0) events.push({ ...base, type: "escalated", severity, routes, step: state.escalationStep });
    }
    const unresolved = policy.unresolved;
    if (unresolved && !state.raisedTo && elapsed >= unresolved.after) {
      const raisedTo = SEVERITY_ORDER.indexOf(unresolved.severity) > SEVERITY_ORDER.indexOf(severity) ? unresolved.severity : severity;
      events.push({ ...base, type: "raised", severity: raisedTo, from: severity, routes: unresolved.notify });
      state = { ...state, raisedTo, notifiedRoutes: [...new Set([...state.notifiedRoutes, ...unresolved.notify])] };
    }
  }
  return state;
}

function clearedEvent(rule: string, state: AlertState, reason: "recovered" | "inactive" | "rule-changed" | "rule-removed", now: string, severity: Severity, providers: string[], detail: string): AlertEvent {
  const onsetAt = state.onsetAt ?? state.firedAt!;
  return {
    type: "cleared",
    rule,
    at: now,
    episode: state.episode!,
    severity,
    routes: state.notifiedRoutes,
    checks: state.checks,
    providers,
    reason,
    onsetAt,
    firedAt: state.firedAt!,
    durationMs: Math.max(0, Date.parse(now) - Date.parse(onsetAt)),
    detail,
  };
}

/** Incident severity a fired rule opens: its own, or SEV-1 for critical and SEV-2 for high; none otherwise. */
export function incidentSeverityOf(rule: AlertRule): "SEV-1" | "SEV-2" | "SEV-3" | "SEV-4" | undefined {
  if (rule.incident === false) return undefined;
  if (rule.incident) return rule.incident.severity;
  return rule.severity === "critical" ? "SEV-1" : rule.severity === "high" ? "SEV-2" : undefined;
}
