/**
 * Writes incident files: frontmatter serialised by the YAML library in the schema's field order, without
 * fields that only repeat a default, then the internal narrative. Nothing is written that would not pass
 * `npm run validate`.
 */
import { join } from "node:path";
import { crossCheck } from "../core/crosscheck.ts";
import { formatDuration } from "../core/duration.ts";
import type { Incident, IncidentFrontmatter, Model } from "../core/model.ts";
import { describeIssues, formatPath } from "../core/problems.ts";
import { incidentFrontmatter } from "../core/schema/incident.ts";
import { writeFileAtomic } from "./files.ts";
import { joinFrontmatter } from "./frontmatter.ts";

export const incidentFile = (id: string) => `incidents/${id}.md`;

const isEmpty = (value: unknown) =>
  value === undefined || (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);

/** The frontmatter as a person would write it: schema order, no empty lists, no default-only fields. */
export function compactFrontmatter(fm: IncidentFrontmatter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(incidentFrontmatter.shape) as (keyof IncidentFrontmatter)[]) {
    let value: unknown = fm[key];
    if (isEmpty(value)) continue;
    if (key === "kind" && value === "incident") continue;
    if (key === "muteAlerts" && (fm.kind === "incident" || value === true)) continue;
    if (key === "automated" && fm.automated) {
      const { rules, blip, ...rest } = fm.automated;
      value = { ...rest, ...(rules.length ? { rules } : {}), ...(blip ? { blip } : {}) };
    }
    // Durations are numbers in memory and text in files (`20m`), as every duration field is written.
    if (key === "recurrence" && fm.recurrence) value = { ...fm.recurrence, duration: formatDuration(fm.recurrence.duration) };
    if (key === "prevention" || key === "postmortem") value = JSON.parse(JSON.stringify(value, (k, v) => (k === "done" && v === false ? undefined : v)));
    out[key] = value;
  }
  return out;
}

export function serialiseIncident(incident: Pick<Incident, "frontmatter" | "body">): string {
  return joinFrontmatter(compactFrontmatter(incident.frontmatter), incident.body);
}

/** Every reason the incident would fail validation in this workspace, as `field: message` lines. */
export function incidentProblems(model: Pick<Model, "config" | "providers" | "rules" | "incidents">, incident: Incident): string[] {
  const shape = incidentFrontmatter.safeParse(compactFrontmatter(incident.frontmatter));
  if (!shape.success) return describeIssues(shape.error.issues, incident.frontmatter, incidentFrontmatter).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const others = model.incidents.filter((other) => other.file !== incident.file);
  return crossCheck({
    configFile: "checks/signalroom.yaml",
    config: model.config,
    providers: model.providers.map((provider) => ({ file: `checks/providers/${provider.id}.yaml`, provider })),
    rulesFile: "checks/alert-rules.yaml",
    rules: model.rules,
    incidents: [...others, { ...incident, frontmatter: shape.data }],
  })
    .filter((finding) => finding.file === incident.file && finding.severity === "error")
    .map((finding) => `${formatPath(finding.path)}: ${finding.message}`);
}

/** An incident that would not pass validation; nothing was written. */
export class InvalidIncident extends Error {
  override name = "InvalidIncident";
}

/** Writes one incident atomically; refuses (throws InvalidIncident) when the result would not validate. */
export async function writeIncident(root: string, model: Parameters<typeof incidentProblems>[0], incident: Incident): Promise<void> {
  const problems = incidentProblems(model, incident);
  if (problems.length > 0) throw new InvalidIncident(`${incident.file} would not be valid, nothing was written:\n${problems.map((line) => `  ${line}`).join("\n")}`);
  await writeFileAtomic(join(root, incident.file), serialiseIncident(incident));
}
