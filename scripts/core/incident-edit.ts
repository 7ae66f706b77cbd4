/**
 * What the operator CLI does to an incident, as pure functions: each takes the frontmatter and returns
 * the new one, or refuses with a reason. The command collects input; the store writes the result.
 */
import { closeGateGaps, type CloseGap } from "./close-gate.ts";
import { renderTemplate, templateFor, type TemplateName } from "./communication.ts";
import type { IncidentFrontmatter } from "./model.ts";
import type { IncidentSeverity } from "./schema/enums.ts";
import { incidentFrontmatter, incidentStatus, maintenanceStatus } from "./schema/incident.ts";

export type Status = IncidentFrontmatter["status"];

/** Times in incident files: UTC, to the second (`2026-11-16T10:45:00Z`). */
export function stamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

export class EditRefused extends Error {
  override name = "EditRefused";
  readonly gaps: CloseGap[];
  constructor(message: string, gaps: CloseGap[] = []) {
    super(message);
    this.gaps = gaps;
  }
}

export interface NewIncident {
  title: string;
  kind: IncidentFrontmatter["kind"];
  severity?: IncidentSeverity;
  providers: string[];
  impact?: IncidentFrontmatter["impact"];
  components?: IncidentFrontmatter["components"];
  commander?: string;
  started?: string;
  message?: string;
  scheduledFor?: string;
  scheduledUntil?: string;
}

/** `2026-11-16-printful-api-slow`, numbered when taken: ids are file names and stay stable. */
export function incidentId(title: string, at: Date, taken: ReadonlySet<string>): string {
  const slug = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  const base = `${at.toISOString().slice(0, 10)}-${slug || "incident"}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function newIncident(input: NewIncident, taken: ReadonlySet<string>, components: readonly string[], now: Date): IncidentFrontmatter {
  const at = stamp(now);
  const maintenance = input.kind === "maintenance";
  const status: Status = maintenance ? "scheduled" : "investigating";
  const draft = incidentFrontmatter.parse({
    id: incidentId(input.title, maintenance && input.scheduledFor ? new Date(input.scheduledFor) : now, taken),
    title: input.title,
    kind: input.kind,
    severity: input.severity,
    status,
    providers: input.providers,
    impact: input.impact ?? "none",
    components: input.components ?? {},
    commander: input.commander,
    ...(maintenance ? { scheduledFor: input.scheduledFor, scheduledUntil: input.scheduledUntil } : { started: input.started ?? at, detected: at }),
  });
  const message = input.message ?? renderTemplate(maintenance ? "progress" : "initial", draft, { components, now });
  draft.updates.push({ at, status, message });
  return draft;
}

export interface UpdateInput {
  status?: Status;
  message?: string;
  template?: TemplateName;
}

/** Appends a public update; the status moves with it and the matching timestamp is set once. */
export function addUpdate(incident: IncidentFrontmatter, input: UpdateInput, components: readonly string[], now: Date): IncidentFrontmatter {
  const next = structuredClone(incident);
  const at = stamp(now);
  const status = input.status ?? next.status;
  const allowed = next.kind === "maintenance" ? maintenanceStatus.options : incidentStatus.options;
  if (!(allowed as readonly string[]).includes(status)) throw new EditRefused(`"${status}" is not a ${next.kind} status (${allowed.join(", ")})`);
  if (next.closed) throw new EditRefused(`${next.id} is closed; reopen it by removing \`closed\` in a pull request`);
  next.status = status;
  if (status === "identified" || status === "monitoring" || status === "resolved") next.acknowledged ??= at;
  if (status === "monitoring" || status === "resolved") next.mitigated ??= at;
  if (status === "resolved") next.resolved ??= at;
  if (status !== "resolved" && next.kind === "incident") delete next.resolved;
  const message = input.message?.trim() || renderTemplate(input.template ?? templateFor(status, next.updates.length), next, { components, now });
  next.updates.push({ at, status, message });
  return next;
}

export function acknowledge(incident: IncidentFrontmatter, by: string | undefined, now: Date): IncidentFrontmatter {
  if (incident.kind !== "incident") throw new EditRefused(`${incident.id} is maintenance; only incidents are acknowledged`);
  const next = structuredClone(incident);
  next.acknowledged ??= stamp(now);
  if (by) next.commander ??= by;
  return next;
}

export function closeIncident(incident: IncidentFrontmatter, now: Date): IncidentFrontmatter {
  if (incident.closed) throw new EditRefused(`${incident.id} is already closed (${incident.closed})`);
  const gaps = closeGateGaps(incident);
  if (gaps.length > 0) throw new EditRefused(`${incident.id} cannot be closed yet:`, gaps);
  return { ...structuredClone(incident), closed: stamp(now) };
}

function show(value: unknown): string {
  if (typeof value === "string") return value.length > 60 ? `"${value.slice(0, 57)}…"` : `"${value}"`;
  return JSON.stringify(value);
}

/** What changed between two versions of the frontmatter, one line per field, for people. */
export function describeChanges(before: IncidentFrontmatter | undefined, after: IncidentFrontmatter): string[] {
  if (!before) return [`created ${after.id} (${after.kind}${after.severity ? `, ${after.severity}` : ""}, ${after.status})`];
  const lines: string[] = [];
  for (const key of Object.keys({ ...before, ...after }) as (keyof IncidentFrontmatter)[]) {
    const [a, b] = [before[key], after[key]];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (Array.isArray(a) && Array.isArray(b) && b.length > a.length && JSON.stringify(b.slice(0, a.length)) === JSON.stringify(a)) {
      for (const item of b.slice(a.length)) lines.push(`${key}: + ${describeItem(item)}`);
    } else if (a === undefined) lines.push(`${key}: set to ${show(b)}`);
    else if (b === undefined) lines.push(`${key}: removed (was ${show(a)})`);
    else lines.push(`${key}: ${show(a)} → ${show(b)}`);
  }
  return lines;
}

function describeItem(item: unknown): string {
  if (item && typeof item === "object" && "message" in item && "status" in item) return `${String(item.status)} ${show(item.message)}`;
  if (item && typeof item === "object" && "task" in item) return show(item.task);
  if (item && typeof item === "object" && "note" in item) return show(item.note);
  return show(item);
}
