import { describe, expect, test } from "vitest";
import { incidentMetrics } from "../../scripts/core/incident-metrics.ts";
import type { Incident } from "../../scripts/core/model.ts";
import { incidentFrontmatter } from "../../scripts/core/schema/incident.ts";

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = new Date("2026-11-30T00:00:00Z");

function incident(id: string, fields: Record<string, unknown>): Incident {
  return { file: `incidents/${id}.md`, body: "", frontmatter: incidentFrontmatter.parse({ id, title: id, severity: "SEV-2", status: "resolved", providers: ["payment-webhooks"], ...fields }) };
}
const t = (iso: string) => `2026-11-${iso}:00Z`;

describe("incident metrics from the files", () => {
  const incidents = [
    // Detected after 2 min, acknowledged 3 min later, restored 52 min after it started.
    incident("a", { started: t("16T10:45"), detected: t("16T10:47"), acknowledged: t("16T10:50"), mitigated: t("16T10:54"), resolved: t("16T11:37") }),
    // Same provider 5 days later: recurs. Never acknowledged, a blip.
    incident("b", { started: t("21T08:00"), detected: t("21T08:04"), resolved: t("21T08:10"), automated: { rule: "r", key: "r@x", blip: true } }),
    // Another provider, still open.
    incident("c", { severity: "SEV-1", status: "identified", providers: ["postgres-database"], started: t("29T23:00"), detected: t("29T23:06"), acknowledged: t("29T23:08") }),
    // Maintenance never counts.
    incident("m", { kind: "maintenance", severity: undefined, status: "completed", scheduledFor: t("20T22:00"), scheduledUntil: t("20T23:00") }),
    // Outside the 90-day window.
    incident("old", { started: "2026-06-01T00:00:00Z", detected: "2026-06-01T00:10:00Z", resolved: "2026-06-01T01:00:00Z" }),
  ];

  test("MTTD, MTTA and MTTR (time to restore: started → resolved) are means over the incidents that have both times", () => {
    const metrics = incidentMetrics(incidents, NOW);
    expect(metrics).toMatchObject({ incidents: 3, open: 1, blips: 1, bySeverity: { "SEV-1": 1, "SEV-2": 2, "SEV-3": 0, "SEV-4": 0 } });
    expect(metrics.mttd).toEqual({ ms: 4 * MIN, of: 3 }); // (2 + 4 + 6) / 3
    expect(metrics.mtta).toEqual({ ms: 2.5 * MIN, of: 2 }); // (3 + 2) / 2; b was never acknowledged
    expect(metrics.mttr).toEqual({ ms: 31 * MIN, of: 2 }); // (52 + 10) / 2; c is still open
  });

  test("incidents per provider with impact time, and the recurrence rate", () => {
    const metrics = incidentMetrics(incidents, NOW);
    expect(metrics.perProvider).toEqual([
      { provider: "payment-webhooks", incidents: 2, open: 0, impactMs: 62 * MIN },
      { provider: "postgres-database", incidents: 1, open: 1, impactMs: 60 * MIN },
    ]);
    expect(metrics.recurrence).toEqual({ rate: 1 / 3, recurring: 1, of: 3, windowMs: 30 * DAY });
    expect(incidentMetrics(incidents, NOW, { recurrenceWindow: 4 * DAY }).recurrence.recurring).toBe(0);
  });

  test("no incidents: counts are zero and means are absent, never NaN", () => {
    const metrics = incidentMetrics([], NOW);
    expect(metrics.mttr).toEqual({ of: 0 });
    expect(metrics.recurrence.rate).toBeUndefined();
    expect(JSON.stringify(metrics)).not.toContain("NaN");
  });
});
