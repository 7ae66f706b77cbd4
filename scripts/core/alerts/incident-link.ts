/**
 * Between rule evaluation and the incident lifecycle (scripts/core/incident-lifecycle.ts): this run's events
 * in the shape the incident planner reads, and, once it has planned, each firing alert linked to the open
 * automatic incident of its rule, so the incident's acknowledgement acknowledges the alert and every
 * notification names the incident.
 */
import { symptomOf } from "../communication.ts";
import type { AlertEvent as IncidentEvent } from "../incident-lifecycle.ts";
import type { AlertRule, Incident } from "../model.ts";
import type { AlertState } from "../schema/records.ts";
import type { AlertEvent } from "./events.ts";

export function incidentEventsOf(events: readonly AlertEvent[], rules: readonly AlertRule[]): IncidentEvent[] {
  return events.flatMap((event): IncidentEvent[] => {
    const rule = rules.find((candidate) => candidate.id === event.rule);
    const base = { rule: event.rule, severity: event.severity, incident: rule?.incident, symptom: symptomOf(rule?.condition), checks: event.checks, providers: event.providers, at: event.at };
    switch (event.type) {
      case "fired":
        return [{ ...base, type: "fired", since: event.onsetAt, detail: event.detail }];
      case "cleared":
        return [{ ...base, type: "cleared", since: event.at, detail: event.detail }];
      case "reminder":
        return [{ ...base, type: "reminder", detail: event.detail }];
      case "escalated":
        return [{ ...base, type: "escalation", step: event.step }];
      default:
        return [];
    }
  });
}

export function firingRules(alerts: Readonly<Record<string, AlertState>>): Set<string> {
  return new Set(Object.entries(alerts).filter(([, state]) => state.state === "firing").map(([rule]) => rule));
}

/** Firing alerts without an incident get the open automatic incident that names their rule. */
export function linkIncidents(alerts: Readonly<Record<string, AlertState>>, incidents: readonly Incident[]): Record<string, AlertState> {
  const open = incidents.filter(({ frontmatter }) => frontmatter.kind === "incident" && frontmatter.status !== "resolved" && frontmatter.automated);
  return Object.fromEntries(
    Object.entries(alerts).map(([rule, state]) => {
      if (state.state !== "firing" || state.incident) return [rule, state];
      const found = open.find(({ frontmatter }) => frontmatter.automated!.rule === rule || frontmatter.automated!.rules.includes(rule));
      return [rule, found ? { ...state, incident: found.frontmatter.id } : state];
    }),
  );
}
