/**
 * The probe pipeline's incident step in one call: plan from this run's alert events and check
 * transitions (pure), then write the edited files. Returns the paths for the commit and one line per
 * change for the run log and the commit message.
 */
import type { Transition } from "../core/check-state.ts";
import { planIncidents, type AlertEvent, type IncidentEdit } from "../core/incident-lifecycle.ts";
import type { Model } from "../core/model.ts";
import { writeIncident } from "./incidents.ts";

export interface IncidentStep {
  edits: IncidentEdit[];
  paths: string[];
  changes: string[];
}

export async function applyIncidentPlan(
  root: string,
  model: Pick<Model, "config" | "providers" | "rules" | "incidents">,
  run: { events: readonly AlertEvent[]; transitions: readonly Transition[]; firing: ReadonlySet<string>; now: Date },
): Promise<IncidentStep> {
  const publicNames = new Map(model.providers.flatMap((provider) => (provider.public === false ? [] : [[provider.id, provider.public.name] as const])));
  const edits = planIncidents({ ...run, incidents: model.incidents, publicNames, settings: model.config.incidents });
  for (const edit of edits) await writeIncident(root, model, { file: edit.file, frontmatter: edit.frontmatter, body: edit.body });
  return {
    edits,
    paths: edits.map((edit) => edit.file),
    changes: edits.flatMap((edit) => edit.changes.map((change) => `${edit.frontmatter.id}: ${change}`)),
  };
}
