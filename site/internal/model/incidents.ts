/**
 * The incidents screens: open and past incidents and maintenance, and one incident in full — internal
 * narrative (sanitized markdown), timeline, evidence, prevention tasks, the close-gate checklist
 * (scripts/core/close-gate.ts) and the post-mortem's status.
 */
import { closeGateGaps, formatGap } from "../../../scripts/core/close-gate.ts";
import { incidentMetrics, type MeanDuration } from "../../../scripts/core/incident-metrics.ts";
import { maintenanceWindows } from "../../../scripts/core/maintenance-windows.ts";
import type { CheckBase, Incident } from "../../../scripts/core/model.ts";
import { httpHref } from "../../../scripts/core/schema/common.ts";
import { t, type StringKey } from "../../shared/strings.ts";
import { elapsed, fill, moment, optionalMoment, percent, type Moment } from "./format.ts";
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
  /** `href` only for an http(s) `url`: anything else is shown as text, never made clickable. */
  evidence: { note: string; url?: string; href?: string; check?: { name: string; href: string }; at?: Moment }[];
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
    scheduled: frontmatter.kind === "maintenance" ? scheduleOf(frontmatter, now, timeZone) : undefined,
    href: href(`incidents/${frontmatter.id}/`),
    gaps: frontmatter.kind === "incident" ? closeGateGaps(frontmatter).length : 0,
    automated: frontmatter.automated ? fill(t(frontmatter.automated.blip ? "room.incident.blip" : "room.incident.automated"), { rule: frontmatter.automated.rule }) : undefined,
  };
}

/** A maintenance's window (the current or next one for a recurrence), with its status by the clock. */
function scheduleOf(frontmatter: Incident["frontmatter"], now: Date, timeZone: string): string | undefined {
  const window = maintenanceWindows(frontmatter, now)[0];
  const when = window && `${moment(window.start, now, timeZone).absolute} → ${moment(window.end, now, timeZone).absolute} (${window.status})`;
  if (!frontmatter.recurrence) return when;
  const rule = fill(t("room.incident.recurring"), { start: frontmatter.recurrence.start, timezone: frontmatter.recurrence.timezone, days: frontmatter.recurrence.days?.join(", ") ?? t("room.incident.everyDay") });
  return when ? `${rule}; ${t("room.incident.next")} ${when}` : rule;
}

const LIFECYCLE: [keyof Incident["frontmatter"], StringKey][] = [
  ["started", "room.incident.started"],
  ["detected", "room.incident.detected"],
  ["acknowledged", "room.incident.acknowledged"],
  ["mitigated", "room.incident.mitigated"],
  ["resolved", "room.incident.resolved"],
  ["closed", "room.incident.closed"],
];

/** The close gate's items, in the order closeGateGaps checks them. */
const GATE_ITEMS: [string, StringKey][] = [
  ["resolved", "gate.resolved"],
  ["updates", "gate.updates"],
  ["summary", "gate.summary"],
  ["evidence", "gate.evidence"],
  ["prevention", "gate.prevention"],
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
    ...frontmatter.updates.map((update) => ({ at: at(update.at), what: fill(t("room.incident.update"), { status: update.status }), message: update.message })),
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
        href: httpHref(item.url),
        check: item.check ? { name: found ? `${found.provider.name} › ${found.check.name}` : item.check, href: href(found ? `providers/${found.provider.id}/#check-${item.check}` : "") } : undefined,
        at: item.at ? at(item.at) : undefined,
      };
    }),
    prevention: frontmatter.prevention,
    closeGate:
      frontmatter.kind === "maintenance"
        ? []
        : GATE_ITEMS.filter(([key]) => key !== "postmortem" || needsPostmortem).map(([key, label]) => {
            const gap = gaps.find((entry) => entry.path[0] === key);
            return { item: t(label), ok: !gap, gap: gap && formatGap(gap) };
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
  metrics: {
    window: string;
    means: { label: string; value: string; of: string; definition: string }[];
    counts: { label: string; value: string }[];
    perProvider: { name: string; href: string; incidents: number; open: number; impact: string }[];
  };
  open: IncidentSummary[];
  maintenance: IncidentSummary[];
  past: IncidentSummary[];
  details: IncidentDetail[];
}

const newestFirst = (a: IncidentSummary, b: IncidentSummary) => (b.started?.at ?? "").localeCompare(a.started?.at ?? "");

export function buildIncidentsView<C extends CheckBase>(data: RoomData<C>, href: Href): IncidentsView {
  const summaries = data.model.incidents.map((incident) => incidentSummary(incident, data, href));
  const metrics = incidentMetrics(data.model.incidents, data.now);
  const mean = (label: StringKey, definition: StringKey, value: MeanDuration) => ({
    label: t(label),
    value: value.ms === undefined ? "–" : elapsed(value.ms),
    of: fill(t("metrics.of"), { count: value.of }),
    definition: t(definition),
  });
  const name = (id: string) => data.model.providers.find((provider) => provider.id === id)?.name ?? id;
  return {
    metrics: {
      window: fill(t("metrics.window"), { days: Math.round((Date.parse(metrics.to) - Date.parse(metrics.from)) / 86_400_000) }),
      means: [mean("metrics.mttd", "metrics.mttd.definition", metrics.mttd), mean("metrics.mtta", "metrics.mtta.definition", metrics.mtta), mean("metrics.mttr", "metrics.mttr.definition", metrics.mttr)],
      counts: [
        { label: t("metrics.incidents"), value: String(metrics.incidents) },
        { label: t("metrics.open"), value: String(metrics.open) },
        { label: t("metrics.blips"), value: String(metrics.blips) },
        { label: t("metrics.bySeverity"), value: Object.entries(metrics.bySeverity).map(([severity, count]) => `${severity}: ${count}`).join(" · ") },
        { label: t("metrics.recurrence"), value: `${percent(metrics.recurrence.rate)} (${metrics.recurrence.recurring}/${metrics.recurrence.of})` },
      ],
      perProvider: metrics.perProvider.map((entry) => ({ name: name(entry.provider), href: href(`providers/${entry.provider}/`), incidents: entry.incidents, open: entry.open, impact: elapsed(entry.impactMs) })),
    },
    open: summaries.filter((entry) => entry.kind === "incident" && entry.open).sort(newestFirst),
    maintenance: summaries.filter((entry) => entry.kind === "maintenance").sort(newestFirst),
    past: summaries.filter((entry) => entry.kind === "incident" && !entry.open).sort(newestFirst),
    details: data.model.incidents.map((incident) => incidentDetail(incident, data, href)),
  };
}
