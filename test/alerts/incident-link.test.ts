import { describe, expect, test } from "vitest";
import { firingRules, incidentEventsOf, linkIncidents } from "../../scripts/core/alerts/incident-link.ts";
import { planIncidents } from "../../scripts/core/incident-lifecycle.ts";
import { drive, everyMinute, makeIncident, makeProvider, makeRule, minutes } from "../helpers/alerting.ts";

const START = "2026-11-16T10:00:00.000Z";

describe("alert events feed the incident lifecycle", () => {
  test("fired, escalated and cleared become the planner's events; one incident per outage, linked back to the alert", () => {
    const db = makeProvider("db", [{ id: "sql" }], { name: "Database" });
    const rule = makeRule({ id: "db-down", severity: "critical", checks: ["sql"], condition: { type: "state", state: "down", for: 2 }, incident: { severity: "SEV-1" } });
    const runs = drive({ rules: [rule], providers: [db] }, minutes("sql", START, "udddduu"), everyMinute(START, 7));
    const events = runs.flatMap((run) => incidentEventsOf(run.events, [rule]));
    expect(events.map((event) => [event.type, event.since, event.incident])).toEqual([
      ["fired", "2026-11-16T10:01:00.000Z", { severity: "SEV-1" }],
      ["cleared", "2026-11-16T10:06:00.000Z", { severity: "SEV-1" }],
    ]);
    const edits = planIncidents({
      incidents: [],
      events: events.slice(0, 1),
      transitions: [],
      firing: firingRules(runs[2]!.alerts),
      publicNames: new Map(),
      settings: { recoveryWindow: 15 * 60_000, blip: 15 * 60_000 },
      now: new Date(runs[2]!.at),
    });
    expect(edits.map((edit) => edit.frontmatter.id)).toEqual(["2026-11-16-1001-db-down"]);
    const linked = linkIncidents(runs[2]!.alerts, edits.map((edit) => ({ file: edit.file, frontmatter: edit.frontmatter, body: edit.body })));
    expect(linked["db-down"]!.incident).toBe("2026-11-16-1001-db-down");
    // A resolved incident is never linked to a new episode.
    const resolved = makeIncident({ id: "old", severity: "SEV-1", status: "resolved", resolved: "2026-11-16T09:00:00Z", providers: ["db"], automated: { rule: "db-down", key: "k" } });
    expect(linkIncidents(runs[2]!.alerts, [resolved])["db-down"]!.incident).toBeUndefined();
  });
});
