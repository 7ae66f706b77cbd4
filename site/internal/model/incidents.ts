/**
 * The incidents screens: open and past incidents and maintenance, and one incident in full — internal
 * narrative (sanitized markdown), timeline, evidence, prevention tasks, the close-gate checklist
 * (scripts/core/close-gate.ts) and the post-mortem's status.
 */
import { closeGateGaps } from "../../../scripts/core/close-gate.ts";
import type { CheckBase, Incident } from "../../../scripts/core/model.ts";
import { t, type StringKey } from "../../shared/strings.ts";
import { fill, moment, optionalMoment, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";
import { renderMarkdown } from "./markdown.ts";

export interface IncidentSummary {
  id: string;
  title: string;
  kind: "incident" | "maintenance";
  severity?: string;
  status: string;
  impact: string;
  open: boolean;
  providers: { id: string; name: string; href: string }[];
  started?: Moment;
  resolved?: Moment;
  closed?: Moment;
  scheduled?: string;
  href: string;
  gaps: number;
  automated?: string;
}

export interface TimelineEntry {
  at: Moment;
  what: string;
  message?: string;
}

export interface IncidentDetail extends IncidentSummary {
  file: string;
  commander?: string;
  summary?: string;
  narrative: string;
  /** The lifecycle timestamps MTTD / MTTA / MTTR are measured between, in order. */
  lifecycle: { label: string; at?: Moment }[];
  timeline: TimelineEntry[];
  evidence: { note: string; url?: string; check?: { name: string; href: string }; at?: Moment }[];
  prevention: { task: string; owner: string; due?: string; done: boolean }[];
  closeGate: { item: string; ok: boolean; gap?: string }[];
  postmortem: { state: string; date?: string; summary?: string; rootCause?: string; wentWell: string[]; needsImprovement: string[]; lessons: string[]; actionItems: { task: string; owner: string; due?: string; done: boolean }[] };
}

const OPEN_NOT = new Set(["resolved", "completed"]);

export function incidentSummary<C extends CheckBase>(incident: Incident, data: RoomData<C>, href: Href): IncidentSummary {
  const { frontmatter } = incident;
  const { now } = data;
  const timeZone = data.model.config.page.timezone;
  const at = (value: string | undefined) => optionalMoment(value, now, timeZone);
  return {
    id: frontmatter.id,
    title: frontmatter.title,
    kind: frontmatter.kind,
    severity: frontmatter.severity,
    status: frontmatter.status,
    impact: frontmatter.impact,
    open: !OPEN_NOT.has(frontmatter.status),
    providers: frontmatter.providers.map((id) => ({
      id,
      name: data.model.providers.find((provider) => provider.id === id)?.name ?? id,
      href: href(`providers/${id}/`),
    })),
    started: at(frontmatter.started ?? frontmatter.scheduledFor),
    resolved: at(frontmatter.resolved),
    closed: at(frontmatter.closed),
    scheduled:
      frontmatter.scheduledFor && frontmatter.scheduledUntil
        ? `${moment(frontmatter.scheduledFor, now, timeZone).absolute} → ${moment(frontmatter.scheduledUntil, now, timeZone).absolute}`
        : frontmatter.recurrence
          ? fill(t("incident.recurring"), { start: frontmatter.recurrence.start, timezone: frontmatter.recurrence.timezone, days: frontmatter.recurrence.days?.join(", ") ?? t("incident.everyDay") })
          : undefined,
    href: href(`incidents/${frontmatter.id}/`),
    gaps: frontmatter.kind === "incident" ? closeGateGaps(frontmatter).length : 0,
    automated: frontmatter.automated ? fill(t(frontmatter.automated.blip ? "incident.blip" : "incident.automated"), { rule: frontmatter.automated.rule }) : undefined,
  };
}

const LIFECYCLE: [keyof Incident["frontmatter"], StringKey][] = [
  ["started", "incident.started"],
  ["detected", "incident.detected"],
  ["acknowledged", "incident.acknowledged"],
  ["mitigated", "incident.mitigated"],
  ["resolved", "incident.resolved"],
  ["closed", "incident.closed"],
];

const GATE_ITEMS: [string, StringKey][] = [
  ["evidence", "gate.evidence"],
  ["updates", "gate.updates"],
  ["resolved", "gate.resolved"],
  ["prevention", "gate.prevention"],
  ["summary", "gate.summary"],
  ["postmortem", "gate.postmortem"],
];

export function incidentDetail<C extends CheckBase>(incident: Incident, data: RoomData<C>, href: Href): IncidentDetail {
  const { frontmatter } = incident;
  const timeZone = data.model.config.page.timezone;
  const at = (value: string) => moment(value, data.now, timeZone);
  const checks = data.model.providers.flatMap((provider) => provider.checks.map((check) => ({ provider, check })));
  const gaps = frontmatter.kind === "incident" ? closeGateGaps(frontmatter) : [];
  const needsPostmortem = frontmatter.severity === "SEV-1" || frontmatter.severity === "SEV-2";
  const lifecycle = LIFECYCLE.map(([field, label]) => ({ label: t(label), at: optionalMoment(frontmatter[field] as string | undefined, data.now, timeZone) }));
  const timeline: TimelineEntry[] = [
    ...lifecycle.filter((entry) => entry.at).map((entry) => ({ at: entry.at!, what: entry.label })),
    ...frontmatter.updates.map((update) => ({ at: at(update.at), what: fill(t("incident.update"), { status: update.status }), message: update.message })),
  ].sort((a, b) => a.at.at.localeCompare(b.at.at));
  const pm = frontmatter.postmortem;
  return {
    ...incidentSummary(incident, data, href),
    file: incident.file,
    commander: frontmatter.commander,
    summary: frontmatter.summary,
    narrative: renderMarkdown(incident.body),
    lifecycle: frontmatter.kind === "incident" ? lifecycle : [],
    timeline,
    evidence: frontmatter.evidence.map((item) => {
      const found = item.check ? checks.find(({ check }) => check.id === item.check) : undefined;
      return {
        note: item.note,
        url: item.url,
        check: item.check ? { name: found ? `${found.provider.name} › ${found.check.name}` : item.check, href: href(found ? `providers/${found.provider.id}/#check-${item.check}` : "") } : undefined,
        at: item.at ? at(item.at) : undefined,
      };
    }),
    prevention: frontmatter.prevention,
    closeGate:
      frontmatter.kind === "maintenance"
        ? []
        : GATE_ITEMS.filter(([key]) => key !== "postmortem" || needsPostmortem).map(([key, label]) => {
            const gap = gaps.find((entry) => entry.split(/[.:]/)[0] === key);
            return { item: t(label), ok: !gap, gap };
          }),
    postmortem: {
      state: pm ? (pm.actionItems.every((item) => item.done) ? t("postmortem.complete") : t("postmortem.open")) : needsPostmortem ? t("postmortem.missing") : t("postmortem.optional"),
      date: pm?.date,
      summary: pm?.summary,
      rootCause: pm?.rootCause,
      wentWell: pm?.wentWell ?? [],
      needsImprovement: pm?.needsImprovement ?? [],
      lessons: pm?.lessons ?? [],
      actionItems: pm?.actionItems ?? [],
    },
  };
}

export interface IncidentsView {
  open: IncidentSummary[];
  maintenance: IncidentSummary[];
  past: IncidentSummary[];
  details: IncidentDetail[];
}

const newestFirst = (a: IncidentSummary, b: IncidentSummary) => (b.started?.at ?? "").localeCompare(a.started?.at ?? "");

export function buildIncidentsView<C extends CheckBase>(data: RoomData<C>, href: Href): IncidentsView {
  const summaries = data.model.incidents.map((incident) => incidentSummary(incident, data, href));
  return {
    open: summaries.filter((entry) => entry.kind === "incident" && entry.open).sort(newestFirst),
    maintenance: summaries.filter((entry) => entry.kind === "maintenance").sort(newestFirst),
    past: summaries.filter((entry) => entry.kind === "incident" && !entry.open).sort(newestFirst),
    details: data.model.incidents.map((incident) => incidentDetail(incident, data, href)),
  };
}
