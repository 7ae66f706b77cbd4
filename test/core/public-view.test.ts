/** The status model by scenario: all green, degraded, outages, declared incidents, maintenance, stale data. */
import { describe, expect, test } from "vitest";
import { maintenanceWindows } from "../../scripts/core/maintenance-windows.ts";
import { normaliseProvider, type Incident } from "../../scripts/core/model.ts";
import type { RollupSet } from "../../scripts/core/public-history.ts";
import { buildStatusModel, type StatusInput } from "../../scripts/core/public-view.ts";
import type { Rollup, StateFile } from "../../scripts/core/schema/records.ts";
import { configFile, incidentFrontmatter, providerFile, type Check } from "../../scripts/schemas.ts";

const NOW = new Date("2026-11-20T10:30:00Z");
const config = configFile.parse({ page: { title: "Status" }, lanes: [{ id: "api" }] });

function provider(id: string, checks: string[], face: object | false = { name: id.toUpperCase(), group: "Core" }) {
  const file = providerFile.parse({
    id,
    name: `internal ${id}`,
    lane: "api",
    owner: "Ops",
    kind: "api",
    readiness: "live",
    consumer: "x",
    recovery: "y",
    evidence: { note: "z" },
    public: face,
    checks: checks.map((check) => ({ id: check, type: "tcp", host: "127.0.0.1", port: 1 })),
  });
  return normaliseProvider<Check>(file, config.defaults);
}

function incident(fields: Record<string, unknown>): Incident {
  const frontmatter = incidentFrontmatter.parse({ severity: "SEV-2", ...fields });
  return { file: `incidents/${frontmatter.id}.md`, frontmatter, body: "internal" };
}

function state(statuses: Record<string, StateFile["checks"][string]["status"]>, lastRun = NOW): StateFile {
  return {
    version: 1,
    updatedAt: NOW.toISOString(),
    lastRun: { id: "r", at: lastRun.toISOString(), region: "local", durationMs: 1, checks: 1 },
    checks: Object.fromEntries(Object.entries(statuses).map(([id, status]) => [id, { status, since: NOW.toISOString(), failStreak: 0, okStreak: 0, regions: {} }])),
    alerts: {},
    outbox: [],
  };
}

function day(date: string, counts: Partial<Rollup> = {}): Rollup {
  return { start: `${date}T00:00:00.000Z`, count: 288, up: 288, degraded: 0, down: 0, error: 0, downtimeMinutes: 0, p50: 100, p95: 200, ...counts };
}

function model(overrides: Partial<StatusInput<Check>> = {}) {
  return buildStatusModel<Check>({ config, providers: [provider("api", ["api-tcp"])], incidents: [], state: state({ "api-tcp": "up" }), rollups: new Map(), now: NOW, ...overrides });
}

describe("slow days", () => {
  test("a day turns degraded when a quarter of its samples missed the latency objective, not before", () => {
    const slow = (share: number) => day("2026-11-19", { up: 288 - Math.round(288 * share), degraded: Math.round(288 * share) });
    const bar = (share: number) => {
      const rollups = new Map<string, RollupSet>([["api-tcp", { hourly: [], daily: [slow(share)] }]]);
      return model({ rollups }).components[0]!.days.find((entry) => entry.date === "2026-11-19")!.status;
    };
    expect(bar(0.2)).toBe("operational");
    expect(bar(0.25)).toBe("degraded_performance");
    expect(bar(0.6)).toBe("degraded_performance");
  });
});

describe("all green", () => {
  test("operational everywhere, 90 bars with uptime where there is data and no data before", () => {
    const rollups = new Map<string, RollupSet>([["api-tcp", { hourly: [], daily: [day("2026-11-19"), day("2026-11-20", { count: 100, up: 100 })] }]]);
    const result = model({ rollups });
    expect(result.overall).toEqual({ status: "operational", indicator: "none" });
    const [component] = result.components;
    expect(component).toMatchObject({ id: "api", name: "API", status: "operational", uptime: { "30d": 1, "90d": 1 } });
    expect(component!.days).toHaveLength(90);
    expect(component!.days.at(-1)).toMatchObject({ date: "2026-11-20", status: "operational", uptime: 1 });
    expect(component!.days.at(0)).toMatchObject({ date: "2026-08-23", status: "no_data", events: [] });
    expect(result.groups.map((group) => [group.id, group.name, group.status])).toEqual([["core", "Core", "operational"]]);
    expect(result.stale).toBe(false);
  });
});

describe("measured outages", () => {
  test("some checks down is a partial outage, all down a major one, degraded is degraded", () => {
    const providers = [provider("api", ["a1", "a2"]), provider("db", ["d1"]), provider("web", ["w1"])];
    const result = model({ providers, state: state({ a1: "down", a2: "up", d1: "down", w1: "degraded" }) });
    expect(result.components.map((component) => [component.id, component.status])).toEqual([
      ["api", "partial_outage"],
      ["db", "major_outage"],
      ["web", "degraded_performance"],
    ]);
    expect(result.overall).toEqual({ status: "major_outage", indicator: "critical" });
  });

  test("a day with downtime is a partial outage, under 95 % uptime a major one, and says how long it was down", () => {
    const rollups = new Map<string, RollupSet>([
      ["api-tcp", { hourly: [], daily: [day("2026-11-18", { up: 278, down: 10, downtimeMinutes: 50 }), day("2026-11-19", { up: 200, down: 88, downtimeMinutes: 440 })] }],
    ]);
    const days = model({ rollups }).components[0]!.days;
    expect(days.at(-3)).toMatchObject({ date: "2026-11-18", status: "partial_outage", downtimeMinutes: 50 });
    expect(days.at(-2)!.status).toBe("major_outage");
  });
});

describe("declared incidents", () => {
  const open = incident({ id: "slow", title: "Slow", status: "identified", providers: ["api", "hidden"], impact: "critical", components: { api: "degraded_performance" }, started: "2026-11-20T09:00:00Z", updates: [
    { at: "2026-11-20T09:05:00Z", status: "investigating", message: "first" },
    { at: "2026-11-20T09:20:00Z", status: "identified", message: "second" },
  ] });

  test("an open incident sets its components' status and its impact sets the overall indicator", () => {
    const providers = [provider("api", ["api-tcp"]), provider("hidden", [], false)];
    const result = model({ providers, incidents: [open] });
    expect(result.components[0]!.status).toBe("degraded_performance");
    expect(result.overall).toEqual({ status: "major_outage", indicator: "critical" });
    const [event] = result.openIncidents;
    expect(event!.components).toEqual([{ id: "api", name: "API", effect: "degraded_performance" }]);
    expect(event!.updates.map((update) => [update.id, update.message])).toEqual([["slow-2", "second"], ["slow-1", "first"]]);
    expect(event).toMatchObject({ createdAt: "2026-11-20T09:05:00.000Z", startedAt: "2026-11-20T09:00:00.000Z", updatedAt: "2026-11-20T09:20:00.000Z" });
    expect(result.components[0]!.days.at(-1)!.events).toEqual([{ id: "slow", title: "Slow", kind: "incident" }]);
  });

  test("incidents without a public component, and silent blips, are not public", () => {
    const providers = [provider("api", ["api-tcp"]), provider("hidden", [], false)];
    const incidents = [
      incident({ id: "internal-only", title: "x", status: "investigating", providers: ["hidden"] }),
      incident({ id: "blip", title: "x", status: "resolved", resolved: "2026-11-20T08:00:00Z", providers: ["api"], automated: { rule: "r", key: "k", blip: true } }),
    ];
    const result = model({ providers, incidents });
    expect(result.incidents).toEqual([]);
    expect(result.overall.status).toBe("operational");
  });
});

describe("maintenance", () => {
  const window = { kind: "maintenance", title: "Upgrade", providers: ["api"] };

  test("a window that has started is in progress by the clock and puts its components under maintenance, even when checks are down", () => {
    const maintenance = incident({ ...window, id: "upgrade", status: "scheduled", scheduledFor: "2026-11-20T10:00:00Z", scheduledUntil: "2026-11-20T11:00:00Z" });
    const result = model({ incidents: [maintenance], state: state({ "api-tcp": "down" }) });
    expect(result.activeMaintenances.map((event) => [event.id, event.status])).toEqual([["upgrade", "in_progress"]]);
    expect(result.components[0]!.status).toBe("under_maintenance");
    expect(result.overall).toEqual({ status: "under_maintenance", indicator: "maintenance" });
  });

  test("before its window it is upcoming, after it completed", () => {
    const later = incident({ ...window, id: "later", status: "scheduled", scheduledFor: "2026-11-21T10:00:00Z", scheduledUntil: "2026-11-21T11:00:00Z" });
    const earlier = incident({ ...window, id: "earlier", status: "scheduled", scheduledFor: "2026-11-19T10:00:00Z", scheduledUntil: "2026-11-19T11:00:00Z" });
    const result = model({ incidents: [later, earlier] });
    expect(result.upcomingMaintenances.map((event) => event.id)).toEqual(["later"]);
    expect(result.maintenances.find((event) => event.id === "earlier")).toMatchObject({ status: "completed", resolvedAt: "2026-11-19T11:00:00.000Z" });
    expect(result.overall.status).toBe("operational");
  });

  test("a recurrence is expanded in its time zone, across a daylight-saving change", () => {
    const weekly = incidentFrontmatter.parse({ ...window, id: "weekly", status: "scheduled", recurrence: { days: ["sun"], start: "03:00", duration: "30m", timezone: "Europe/Berlin" } });
    const windows = maintenanceWindows(weekly, new Date("2026-03-20T12:00:00Z"));
    expect(windows.slice(0, 2).map((entry) => [entry.id, entry.start, entry.end, entry.status])).toEqual([
      ["weekly-202603220200", "2026-03-22T02:00:00.000Z", "2026-03-22T02:30:00.000Z", "scheduled"],
      ["weekly-202603290100", "2026-03-29T01:00:00.000Z", "2026-03-29T01:30:00.000Z", "scheduled"],
    ]);
    expect(maintenanceWindows(weekly, new Date("2026-03-22T02:10:00Z"))[0]!.status).toBe("in_progress");
    expect(maintenanceWindows({ ...weekly, recurrence: { ...weekly.recurrence!, until: "2026-03-25T00:00:00Z" } }, new Date("2026-03-20T12:00:00Z"))).toHaveLength(1);
  });
});

describe("stale data", () => {
  test("stale once no run has landed for page.stale × the shortest cadence (3 × 5 min)", () => {
    expect(model({ state: state({ "api-tcp": "up" }, new Date(NOW.getTime() - 14 * 60_000)) })).toMatchObject({ stale: false, staleAfterMs: 900_000 });
    expect(model({ state: state({ "api-tcp": "up" }, new Date(NOW.getTime() - 16 * 60_000)) }).stale).toBe(true);
    expect(model({ state: { version: 1, updatedAt: NOW.toISOString(), checks: {}, alerts: {}, outbox: [] } }).stale).toBe(true);
  });
});

describe("response time", () => {
  test("24 h of hourly points, 4-hour points over 7 days, daily over 90 days; the median of the last day", () => {
    const hourly = Array.from({ length: 48 }, (_, index) => ({ ...day("2026-11-18"), start: new Date(NOW.getTime() - (47 - index) * 3_600_000 - 30 * 60_000).toISOString().slice(0, 13) + ":00:00.000Z", count: 12, up: 12, p50: index < 24 ? 500 : 100, p95: 300 }));
    const rollups = new Map<string, RollupSet>([["api-tcp", { hourly, daily: [day("2026-11-19")] }]]);
    const component = model({ rollups }).components[0]!;
    expect(component.responseTimes.map((series) => [series.range, series.points.length])).toEqual([["24h", 24], ["7d", 12], ["90d", 1]]);
    expect(component.responseTime).toBe(100);
    expect(component.uptime["24h"]).toBe(1);
  });
});
