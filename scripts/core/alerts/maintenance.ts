/**
 * Maintenance windows are incident files with `kind: maintenance`. While one is in progress and mutes alerts,
 * its providers' checks do not count towards any alert rule: their samples are left out of every condition,
 * so a failure during the window fires nothing, neither during it nor right after it.
 */
import type { Incident } from "../model.ts";
import { recurrenceAround } from "./windows.ts";

/** Whether a maintenance incident mutes alerts at `at`. */
export function mutesAt(incident: Incident, at: Date): boolean {
  const maintenance = incident.frontmatter;
  if (maintenance.kind !== "maintenance" || !maintenance.muteAlerts || maintenance.status === "completed") return false;
  if (maintenance.recurrence) return recurrenceAround(maintenance.recurrence, at) !== undefined;
  const now = at.getTime();
  const from = maintenance.scheduledFor ? Date.parse(maintenance.scheduledFor) : undefined;
  const until = maintenance.scheduledUntil ? Date.parse(maintenance.scheduledUntil) : undefined;
  if (from === undefined || now < from) return false;
  // Work that overruns its schedule keeps muting until someone marks it completed.
  const running = maintenance.status === "in_progress" || maintenance.status === "verifying";
  return running || until === undefined || now < until;
}

/** Answers "is this provider under maintenance at this time, and which one?" over a set of incidents. */
export interface MaintenanceCalendar {
  at(provider: string, when: Date): string | undefined;
}

export function maintenanceCalendar(incidents: readonly Incident[]): MaintenanceCalendar {
  const windows = incidents.filter((incident) => incident.frontmatter.kind === "maintenance" && incident.frontmatter.muteAlerts);
  const byProvider = new Map<string, Incident[]>();
  for (const incident of windows) {
    for (const provider of incident.frontmatter.providers) byProvider.set(provider, [...(byProvider.get(provider) ?? []), incident]);
  }
  return {
    at(provider, when) {
      return byProvider.get(provider)?.find((incident) => mutesAt(incident, when))?.frontmatter.id;
    },
  };
}
