/**
 * Maintenance windows are incident files with `kind: maintenance`. While one is in progress and mutes alerts,
 * its providers' checks do not count towards any alert rule: their samples are left out of every condition,
 * so a failure during the window fires nothing, neither during it nor right after it.
 */
import type { Incident } from "../model.ts";
import { occurrences, type Occurrence } from "../zones.ts";

/** When a maintenance mutes alerts, between `from` and `to`. */
function mutingWindows(incident: Incident, from: number, to: number): Occurrence[] {
  const maintenance = incident.frontmatter;
  if (maintenance.kind !== "maintenance" || !maintenance.muteAlerts || maintenance.status === "completed") return [];
  if (maintenance.recurrence) return occurrences(maintenance.recurrence, from, to);
  if (!maintenance.scheduledFor) return [];
  // Work that overruns its schedule keeps muting until someone marks it completed.
  const running = maintenance.status === "in_progress" || maintenance.status === "verifying";
  const end = running || !maintenance.scheduledUntil ? Infinity : Date.parse(maintenance.scheduledUntil);
  return [{ start: Date.parse(maintenance.scheduledFor), end }];
}

/** Whether a maintenance incident mutes alerts at `at`. */
export function mutesAt(incident: Incident, at: Date): boolean {
  const when = at.getTime();
  return mutingWindows(incident, when, when + 1).some((window) => when >= window.start && when < window.end);
}

/** Answers "is this provider under maintenance at this time, and which one?" between `from` and `to`. */
export interface MaintenanceCalendar {
  at(provider: string, when: number): string | undefined;
}

/**
 * The windows are worked out once for the whole span (recurring ones through their time zone), so asking
 * about each of thousands of samples is a lookup.
 */
export function maintenanceCalendar(incidents: readonly Incident[], from: number, to: number): MaintenanceCalendar {
  const byProvider = new Map<string, (Occurrence & { id: string })[]>();
  for (const incident of incidents) {
    for (const window of mutingWindows(incident, from, to)) {
      for (const provider of incident.frontmatter.providers) {
        byProvider.set(provider, [...(byProvider.get(provider) ?? []), { ...window, id: incident.frontmatter.id }]);
      }
    }
  }
  return {
    at(provider, when) {
      return byProvider.get(provider)?.find((window) => when >= window.start && when < window.end)?.id;
    },
  };
}
