/**
 * The automatic incident lifecycle, planned from one probe run's alert events and check transitions:
 * a confirmed outage opens an incident, later events append to it, recovery moves it to monitoring, and
 * a quiet recovery window resolves it. Pure: it returns the edited files, the store writes them.
 *
 * One incident per outage, even when runs race: an event joins the open automatic incident of its rule
 * (or one sharing a provider), and a new incident's id is derived from the rule and the backdated start
 * of the outage, so two runs that both open it produce the same file.
 */
import type { Transition } from "./check-state.ts";
import { automaticTitle, renderTemplate, type Symptom, type TemplateName } from "./communication.ts";
import { stamp } from "./incident-edit.ts";
import type { Incident, IncidentFrontmatter } from "./model.ts";
import { appendTimeline, timelineLine } from "./narrative.ts";
import type { IncidentSeverity, Severity } from "./schema/enums.ts";
import { incidentFrontmatter } from "./schema/incident.ts";

/** What alert evaluation reports for one rule in one run. */
export interface AlertEvent {
  type: "fired" | "cleared" | "reminder" | "escalation";
  rule: string;
  severity: Severity;
  /** The rule's `incident` setting: `false` never opens one, undefined uses the default for `severity`. */
  incident?: false | { severity: IncidentSeverity };
  checks: readonly string[];
  providers: readonly string[];
  /** When the run saw it. */
  at: string;
  /** Fired: start of the outage, backdated to its first failing sample. Cleared: when it recovered. */
  since?: string;
  /** What made it fire, e.g. `[STATUS] == 200 ✗ got 503` (internal). */
  detail?: string;
  /** Escalation: the step that notified, 1-based. */
  step?: number;
  /** What the rule's condition means for customers; names the symptom in an automatic incident's title. */
  symptom?: Symptom;
}


export interface LifecycleInput {
  incidents: readonly Incident[];
  events: readonly AlertEvent[];
  transitions: readonly Transition[];
  /** Rules still firing after this run's evaluation. */
  firing: ReadonlySet<string>;
  /** Public component name per provider id; providers that are not public are left out. */
  publicNames: ReadonlyMap<string, string>;
  settings: { recoveryWindow: number; blip: number };
  now: Date;
}

export interface IncidentEdit {
  file: string;
  frontmatter: IncidentFrontmatter;
  body: string;
  opened: boolean;
  /** One line per change, for the run log and the commit message. */
  changes: string[];
}

const DEFAULT_SEVERITY: Record<Severity, IncidentSeverity | undefined> = { critical: "SEV-1", high: "SEV-2", warning: undefined, info: undefined };
const SEVERITY_RANK: Record<IncidentSeverity, number> = { "SEV-1": 1, "SEV-2": 2, "SEV-3": 3, "SEV-4": 4 };
const IMPACT: Record<IncidentSeverity, IncidentFrontmatter["impact"]> = { "SEV-1": "critical", "SEV-2": "major", "SEV-3": "minor", "SEV-4": "minor" };
const EFFECT: Record<IncidentSeverity, IncidentFrontmatter["components"][string]> = {
  "SEV-1": "major_outage",
  "SEV-2": "partial_outage",
  "SEV-3": "degraded_performance",
  "SEV-4": "degraded_performance",
};

/** Severity of the incident a rule opens, or undefined when it opens none (warnings and info by default). */
export function incidentSeverityOf(event: Pick<AlertEvent, "incident" | "severity">): IncidentSeverity | undefined {
  if (event.incident === false) return undefined;
  return event.incident?.severity ?? DEFAULT_SEVERITY[event.severity];
}

/** `2026-11-16-1045-stripe-webhook-down`: the same outage always gets the same id. */
export function outageId(rule: string, since: string): string {
  const iso = new Date(since).toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}-${rule}`;
}

export const isOpen = (fm: IncidentFrontmatter) => fm.kind === "incident" && fm.status !== "resolved";
const linkedRules = (fm: IncidentFrontmatter) => (fm.automated ? [fm.automated.rule, ...fm.automated.rules] : []);

interface Working {
  incident: Incident;
  original: string;
  opened: boolean;
  changes: string[];
}

export function planIncidents(input: LifecycleInput): IncidentEdit[] {
  const working = new Map<string, Working>();
  for (const incident of input.incidents) {
    working.set(incident.frontmatter.id, { incident: structuredClone(incident), original: JSON.stringify(incident), opened: false, changes: [] });
  }
  const open = () => [...working.values()].filter((entry) => isOpen(entry.incident.frontmatter));
  const publicOf = (providers: readonly string[]) => providers.flatMap((id) => input.publicNames.get(id) ?? []);

  const edit = (entry: Working, change: string, timeline?: { at: string; text: string }) => {
    entry.changes.push(change);
    if (timeline) entry.incident.body = appendTimeline(entry.incident.body, [timelineLine(timeline.at, timeline.text)]);
  };
  const publish = (entry: Working, template: TemplateName, at: string) => {
    const fm = entry.incident.frontmatter;
    const message = renderTemplate(template, fm, { components: publicOf(fm.providers), now: new Date(at) });
    fm.updates.push({ at, status: fm.status, message });
  };
  const setSeverity = (fm: IncidentFrontmatter, severity: IncidentSeverity) => {
    fm.severity = severity;
    fm.impact = IMPACT[severity];
    fm.components = Object.fromEntries(fm.providers.filter((id) => input.publicNames.has(id)).map((id) => [id, EFFECT[severity]]));
  };

  for (const event of [...input.events].sort((a, b) => a.at.localeCompare(b.at))) {
    const linked = open().find((entry) => linkedRules(entry.incident.frontmatter).includes(event.rule));
    if (event.type === "fired") {
      const severity = incidentSeverityOf(event);
      if (!severity) continue;
      const since = event.since ?? event.at;
      const detail = event.detail ? `: ${event.detail}` : "";
      const evidence = { note: `Alert rule ${event.rule} fired${detail}`, check: event.checks[0], at: since };
      const target =
        linked ??
        open().find((entry) => entry.incident.frontmatter.automated && entry.incident.frontmatter.providers.some((id) => event.providers.includes(id)));
      if (target) {
        const fm = target.incident.frontmatter;
        fm.evidence.push(evidence);
        if (!linkedRules(fm).includes(event.rule)) {
          fm.automated!.rules.push(event.rule);
          for (const id of event.providers) if (!fm.providers.includes(id)) fm.providers.push(id);
          edit(target, `joined by rule ${event.rule}`, { at: event.at, text: `Alert rule \`${event.rule}\` (${event.severity}) fired during the same outage${detail}.` });
        }
        if (fm.severity && SEVERITY_RANK[severity] < SEVERITY_RANK[fm.severity]) {
          edit(target, `severity: ${fm.severity} → ${severity}`, { at: event.at, text: `Severity raised from ${fm.severity} to ${severity} by rule \`${event.rule}\`.` });
          setSeverity(fm, severity);
        }
        if (fm.status === "monitoring") {
          fm.status = "investigating";
          delete fm.mitigated;
          edit(target, "status: monitoring → investigating", { at: event.at, text: `Relapse: rule \`${event.rule}\` fired again${detail}.` });
          publish(target, "initial", event.at);
        }
        continue;
      }
      const id = outageId(event.rule, since);
      const existing = working.get(id);
      if (existing) {
        // The same outage, resolved before it fired again (a race or a relapse inside one minute): reopen it.
        const fm = existing.incident.frontmatter;
        fm.status = "investigating";
        delete fm.resolved;
        delete fm.mitigated;
        delete fm.closed;
        if (fm.automated) fm.automated.blip = false;
        edit(existing, "status: resolved → investigating", { at: event.at, text: `Reopened: rule \`${event.rule}\` fired again${detail}.` });
        publish(existing, "initial", event.at);
        continue;
      }
      const providers = [...new Set(event.providers)];
      const frontmatter = incidentFrontmatter.parse({
        id,
        title: automaticTitle(publicOf(providers), event.symptom ?? "degraded service"),
        severity,
        status: "investigating",
        providers,
        started: since,
        detected: event.at,
        evidence: [evidence],
        automated: { rule: event.rule, key: `${event.rule}@${new Date(since).toISOString()}` },
      });
      setSeverity(frontmatter, severity);
      const entry: Working = {
        incident: { file: `incidents/${id}.md`, frontmatter, body: `Opened automatically by alert rule \`${event.rule}\` (${event.severity}).\n` },
        original: "",
        opened: true,
        changes: [],
      };
      working.set(id, entry);
      edit(entry, `opened ${severity} from rule ${event.rule}`, { at: since, text: `Outage started (first failing sample of ${event.checks.join(", ")}).` });
      edit(entry, `detected at ${event.at}`, { at: event.at, text: `Alert rule \`${event.rule}\` fired${detail}.` });
      publish(entry, "initial", event.at);
    } else if (linked && event.type === "cleared") {
      const fm = linked.incident.frontmatter;
      const recovered = event.since ?? event.at;
      const stillFiring = linkedRules(fm).filter((rule) => rule !== event.rule && input.firing.has(rule));
      edit(linked, `rule ${event.rule} cleared`, { at: recovered, text: `Alert rule \`${event.rule}\` cleared${stillFiring.length ? ` (still firing: ${stillFiring.join(", ")})` : ""}.` });
      if (stillFiring.length === 0 && fm.status !== "monitoring") {
        edit(linked, `status: ${fm.status} → monitoring`);
        fm.status = "monitoring";
        fm.mitigated = recovered;
        publish(linked, "progress", event.at);
      }
    } else if (linked && event.type === "escalation") {
      edit(linked, `escalation step ${event.step ?? "?"} of rule ${event.rule}`, {
        at: event.at,
        text: `Not acknowledged: escalation step ${event.step ?? "?"} of rule \`${event.rule}\` notified.`,
      });
    }
  }

  for (const transition of input.transitions) {
    for (const entry of open().filter((candidate) => candidate.incident.frontmatter.providers.includes(transition.provider))) {
      const fm = entry.incident.frontmatter;
      if (transition.to === "down" || transition.to === "degraded") fm.evidence.push({ note: `${transition.check} ${transition.to}`, check: transition.check, at: transition.since });
      edit(entry, `${transition.check}: ${transition.from} → ${transition.to}`, { at: transition.since, text: `Check \`${transition.check}\` is ${transition.to} (was ${transition.from}).` });
    }
  }

  const now = input.now.getTime();
  for (const entry of open()) {
    const fm = entry.incident.frontmatter;
    if (!fm.automated || fm.status !== "monitoring" || !fm.mitigated) continue;
    if (linkedRules(fm).some((rule) => input.firing.has(rule))) continue;
    if (now - Date.parse(fm.mitigated) < input.settings.recoveryWindow) continue;
    fm.status = "resolved";
    fm.resolved = fm.mitigated;
    const started = Date.parse(fm.started ?? fm.detected ?? fm.mitigated);
    fm.automated.blip = !fm.acknowledged && Date.parse(fm.resolved) - started < input.settings.blip;
    edit(entry, `status: monitoring → resolved${fm.automated.blip ? " (blip)" : ""}`, {
      at: stamp(input.now),
      text: `Resolved: no relapse during the recovery window${fm.automated.blip ? "; marked as a blip (short and never acknowledged)" : ""}.`,
    });
    publish(entry, "resolution", stamp(input.now));
  }

  return [...working.values()]
    .filter((entry) => entry.opened || JSON.stringify(entry.incident) !== entry.original)
    .map((entry) => ({ file: entry.incident.file, frontmatter: entry.incident.frontmatter, body: entry.incident.body, opened: entry.opened, changes: entry.changes }));
}
