import type { IncidentFrontmatter } from "./model.ts";
import type { PathSegment } from "./problems.ts";

/** One thing the close gate still misses: the field to fill in and what to put there. */
export interface CloseGap {
  path: PathSegment[];
  message: string;
}

/**
 * The runbook's "Close" step (seed 000): attach evidence, timeline, prevention task and owner-safe
 * explanation before marking healthy; SEV-1 and SEV-2 also need a blameless post-mortem (playbook
 * §6.3.4). Returns everything still missing, in file order, so one look tells the whole list.
 */
export function closeGateGaps(incident: IncidentFrontmatter): CloseGap[] {
  if (incident.kind === "maintenance") return [];
  const gaps: CloseGap[] = [];
  const gap = (path: PathSegment[], message: string) => gaps.push({ path, message });
  if (incident.status !== "resolved" || !incident.resolved) gap(["resolved"], "set the time service was fully restored (status resolved)");
  if (incident.updates.length === 0) gap(["updates"], "add the timeline: at least one public update");
  else if (incident.updates.at(-1)!.status !== "resolved") gap(["updates"], "end the timeline with a public update announcing resolved");
  if (!incident.summary?.trim()) gap(["summary"], "add the owner-safe explanation of what happened");
  if (incident.evidence.length === 0) gap(["evidence"], "add at least one item showing the problem (a link, or a check and time)");
  if (!incident.prevention.some((task) => task.task.trim())) gap(["prevention"], "add at least one prevention task with an owner");
  if (incident.severity === "SEV-1" || incident.severity === "SEV-2") {
    const pm = incident.postmortem;
    if (!pm) gap(["postmortem"], `a ${incident.severity} needs a post-mortem: summary, rootCause and at least one action item`);
    else if (pm.actionItems.length === 0) gap(["postmortem", "actionItems"], "add at least one action item");
  }
  return gaps;
}

export function formatGap(gap: CloseGap): string {
  return `${gap.path.join(".")}: ${gap.message}`;
}
