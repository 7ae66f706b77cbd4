/**
 * What one probe cycle decides, pure: from the model, the previous state, the recent samples and the time,
 * the next check states, alert states and events, incident edits and outbox. The engine reads and writes
 * the files around it (scripts/engine.ts); the demo drives it over months of simulated time in memory.
 */
import type { History } from "./alerts/conditions.ts";
import { evaluateRules } from "./alerts/evaluate.ts";
import type { AlertEvent } from "./alerts/events.ts";
import { firingRules, incidentEventsOf, linkIncidents } from "./alerts/incident-link.ts";
import { planNotifications } from "./alerts/plan.ts";
import { advanceChecks, type Transition } from "./check-state.ts";
import { planIncidents, type IncidentEdit } from "./incident-lifecycle.ts";
import { allChecks, type Incident, type Model } from "./model.ts";
import type { Sample, StateFile } from "./schema/records.ts";

export interface CycleInput {
  model: Pick<Model, "config" | "providers" | "rules" | "incidents">;
  state: StateFile;
  /** Every recent sample of every region, this cycle's included, far enough back for rules and staleness. */
  samples: readonly Sample[];
  /** Rollups per check for anomaly baselines. */
  history: Readonly<Record<string, History>>;
  now: Date;
}

export interface CycleDecision {
  checks: StateFile["checks"];
  transitions: Transition[];
  alerts: StateFile["alerts"];
  events: AlertEvent[];
  incidentEdits: IncidentEdit[];
  /** The incidents as they are after the edits. */
  incidents: Incident[];
  outbox: StateFile["outbox"];
}

export function decideCycle(input: CycleInput): CycleDecision {
  const { model, state, samples, now } = input;
  const advanced = advanceChecks(allChecks(model), state.checks, samples, now, { stale: model.config.page.stale });
  const outcome = evaluateRules({
    now,
    rules: model.rules,
    config: model.config,
    providers: model.providers,
    samples,
    checks: advanced.checks,
    history: input.history,
    incidents: model.incidents,
    alerts: state.alerts,
  });
  const publicNames = new Map(model.providers.flatMap((provider) => (provider.public === false ? [] : [[provider.id, provider.public.name] as const])));
  const incidentEdits = planIncidents({
    incidents: model.incidents,
    events: incidentEventsOf(outcome.events, model.rules),
    transitions: advanced.transitions,
    firing: firingRules(outcome.alerts),
    publicNames,
    settings: model.config.incidents,
    now,
  });
  const edited = new Map(incidentEdits.map((edit) => [edit.file, { file: edit.file, frontmatter: edit.frontmatter, body: edit.body }]));
  const incidents = [...model.incidents.filter((incident) => !edited.has(incident.file)), ...edited.values()];
  const alerts = linkIncidents(outcome.alerts, incidents);
  const outbox = planNotifications({ now, events: outcome.events, rules: model.rules, providers: model.providers, routes: model.config.routes, alerts, outbox: state.outbox });
  return { checks: advanced.checks, transitions: advanced.transitions, alerts, events: outcome.events, incidentEdits, incidents, outbox };
}
