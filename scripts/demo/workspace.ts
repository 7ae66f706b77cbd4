/**
 * The demo's workspace: a fresh copy of the repository's example configuration (never the repository's own
 * checks/ or incidents/), with every notification route pointed at the demo world's sinks instead of the
 * vendors' servers, and two maintenance windows dated from the demo's "now".
 */
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import type { IncidentFrontmatter } from "../core/model.ts";
import { incidentFile, serialiseIncident } from "../store/incidents.ts";
import type { DemoWorld } from "./servers.ts";

const ENDPOINT_FIELD: Record<string, [field: string, key: keyof DemoWorld["endpoints"]]> = {
  pagerduty: ["endpoint", "pagerduty"],
  opsgenie: ["endpoint", "opsgenie"],
  telegram: ["endpoint", "telegram"],
  ntfy: ["server", "ntfy"],
  github: ["apiUrl", "github"],
};

/** Points the notification routes of a configuration at the sinks given instead of the vendors' servers (comments kept). */
export function withSinks(doc: Document, endpoints: Partial<DemoWorld["endpoints"]>): Document {
  const routes = doc.get("routes");
  if (isSeq(routes)) {
    for (const route of routes.items) {
      if (!isMap(route)) continue;
      const target = ENDPOINT_FIELD[String(route.get("channel"))];
      if (target && endpoints[target[1]]) route.set(target[0], endpoints[target[1]]);
    }
  }
  return doc;
}

export async function prepareWorkspace(repo: string, root: string, world: DemoWorld, now: Date): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, "incidents"), { recursive: true });
  for (const file of ["signalroom.yaml", "alert-rules.yaml", "providers"]) {
    await cp(join(repo, "checks", file), join(root, "checks", file), { recursive: true });
  }
  const configPath = join(root, "checks/signalroom.yaml");
  const doc = withSinks(parseDocument(await readFile(configPath, "utf8")), world.endpoints);
  doc.setIn(["page", "url"], "http://127.0.0.1:4321");
  await writeFile(configPath, doc.toString());
  for (const maintenance of maintenanceWindows(now)) {
    await writeFile(join(root, incidentFile(maintenance.id)), serialiseIncident({ frontmatter: maintenance, body: "" }));
  }
}

function maintenanceWindows(now: Date): IncidentFrontmatter[] {
  const day = 86_400_000;
  const sunday = new Date(now.getTime() + ((7 - now.getUTCDay()) % 7 || 7) * day);
  const start = new Date(Date.UTC(sunday.getUTCFullYear(), sunday.getUTCMonth(), sunday.getUTCDate(), 2, 0));
  const base = {
    kind: "maintenance" as const,
    impact: "minor" as const,
    updates: [],
    evidence: [],
    prevention: [],
    muteAlerts: true,
  };
  return [
    {
      ...base,
      id: `${start.toISOString().slice(0, 10)}-database-upgrade`,
      title: "Database upgrade",
      status: "scheduled",
      providers: ["postgres-database"],
      components: { "postgres-database": "under_maintenance" },
      scheduledFor: start.toISOString(),
      scheduledUntil: new Date(start.getTime() + 60 * 60_000).toISOString(),
      summary: "We are upgrading the database to a new major version. Bookings may be briefly unavailable for up to ten minutes in this window.",
      updates: [{ at: new Date(now.getTime() - 2 * day).toISOString(), status: "scheduled", message: "Scheduled: database upgrade on Sunday between 02:00 and 03:00 UTC. Bookings may be unavailable for up to ten minutes." }],
    },
    {
      ...base,
      id: "weekly-session-store-compaction",
      title: "Weekly session store compaction",
      status: "scheduled",
      providers: ["better-auth"],
      components: { "better-auth": "under_maintenance" },
      recurrence: { days: ["wed"], start: "04:00", duration: 1_200_000, timezone: "UTC" },
      summary: "Every Wednesday from 04:00 UTC for 20 minutes, signing in may take a few seconds longer.",
      // Announced when it was set up, before the history starts: every past Wednesday's window is planned.
      updates: [{ at: new Date(now.getTime() - 120 * day).toISOString(), status: "scheduled", message: "From now on the session store is compacted every Wednesday at 04:00 UTC; signing in may take a few seconds longer for 20 minutes." }],
    },
  ];
}
