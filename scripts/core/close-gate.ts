import type { IncidentFrontmatter } from "./model.ts";

/**
 * The runbook's "Close" step: attach evidence, timeline, prevention task and owner-safe explanation
 * before marking healthy; SEV-1 and SEV-2 also need a post-mortem. Returns what is still missing.
 */
export function closeGateGaps(incident: IncidentFrontmatter): string[] {
  if (incident.kind === "maintenance") return [];
  const gaps: string[] = [];
  if (incident.evidence.length === 0) gaps.push("evidence: add at least one item (what showed the problem)");
  if (incident.updates.length === 0) gaps.push("updates: add the timeline of public updates");
  if (!incident.resolved) gaps.push("resolved: set when service was fully restored");
  if (!incident.prevention.some((task) => task.task.trim())) gaps.push("prevention: add at least one prevention task");
  if (!incident.summary?.trim()) gaps.push("summary: add the owner-safe explanation");
  if (incident.severity === "SEV-1" || incident.severity === "SEV-2") {
    const pm = incident.postmortem;
    if (!pm) gaps.push(`postmortem: required for ${incident.severity} (summary, root cause, action items)`);
    else if (pm.actionItems.length === 0) gaps.push("postmortem.actionItems: add at least one action item");
  }
  return gaps;
}
