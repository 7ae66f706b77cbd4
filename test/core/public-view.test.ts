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
    expect(result.overall).toEqual({ status: "operational", indicator: "none", components: 1, withData: 1 });
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
    expect(result.overall).toMatchObject({ status: "major_outage", indicator: "critical" });
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
    expect(result.overall).toMatchObject({ status: "major_outage", indicator: "critical" });
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
  const announced = [{ at: "2026-11-18T09:00:00Z", status: "scheduled", message: "Planned." }];
  const window = { kind: "maintenance", title: "Upgrade", providers: ["api"], updates: announced };

  test("a window that has started is in progress by the clock and puts its components under maintenance, even when checks are down", () => {
    const maintenance = incident({ ...window, id: "upgrade", status: "scheduled", scheduledFor: "2026-11-20T10:00:00Z", scheduledUntil: "2026-11-20T11:00:00Z" });
    const result = model({ incidents: [maintenance], state: state({ "api-tcp": "down" }) });
    expect(result.activeMaintenances.map((event) => [event.id, event.status])).toEqual([["upgrade", "in_progress"]]);
    expect(result.components[0]!.status).toBe("under_maintenance");
    expect(result.overall).toMatchObject({ status: "under_maintenance", indicator: "maintenance" });
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

const hour = (at: string, counts: Partial<Rollup> = {}): Rollup => ({ ...day("2026-11-20"), start: at, count: 12, up: 12, ...counts });

describe("no data", () => {
  test("a component whose checks never reported says no data, and the banner does not count it as operational", () => {
    const providers = [provider("api", ["api-tcp"]), provider("db", ["db-tcp"])];
    const fresh = model({ providers, state: { version: 1, updatedAt: NOW.toISOString(), checks: {}, alerts: {}, outbox: [] } });
    expect(fresh.components.map((component) => [component.id, component.status, component.hasHistory])).toEqual([["api", "no_data", false], ["db", "no_data", false]]);
    expect(fresh.overall).toEqual({ status: "no_data", indicator: "none", components: 2, withData: 0 });
    expect(fresh.groups[0]!.status).toBe("no_data");
    expect(fresh.components[0]!.days.every((bar) => bar.status === "no_data")).toBe(true);

    const half = model({ providers, state: state({ "api-tcp": "up" }) });
    expect(half.components.map((component) => component.status)).toEqual(["operational", "no_data"]);
    expect(half.overall).toEqual({ status: "operational", indicator: "none", components: 2, withData: 1 });
    expect(half.groups[0]!.status).toBe("operational");
  });

  test("checks that fell silent after reporting have no current status but keep their history", () => {
    const rollups = new Map<string, RollupSet>([["api-tcp", { hourly: [], daily: [day("2026-11-10")] }]]);
    const [component] = model({ rollups, state: state({ "api-tcp": "unknown" }) }).components;
    expect(component).toMatchObject({ status: "no_data", hasHistory: true, since: "2026-11-10" });
  });
});

describe("recent samples", () => {
  test("a check flapping between up and down is a partial outage even while its confirmed state is up, and today's bar says so", () => {
    const hourly = [hour("2026-11-20T09:00:00.000Z", { up: 7, down: 5 }), hour("2026-11-20T10:00:00.000Z", { up: 4, down: 2, count: 6 })];
    const rollups = new Map<string, RollupSet>([["api-tcp", { hourly, daily: [day("2026-11-20", { up: 250, down: 5, count: 255 })] }]]);
    const [component] = model({ rollups, state: state({ "api-tcp": "up" }) }).components;
    expect(component!.status).toBe("partial_outage");
    expect(component!.days.at(-1)!.status).toBe("partial_outage");
  });

  test("a quarter of recent samples slow makes the component degraded; an occasional slow one does not", () => {
    const status = (degraded: number) => model({ rollups: new Map([["api-tcp", { hourly: [hour("2026-11-20T10:00:00.000Z", { up: 12 - degraded, degraded })], daily: [] }]]) }).components[0]!.status;
    expect(status(1)).toBe("operational");
    expect(status(3)).toBe("degraded_performance");
  });
});

describe("unplanned downtime", () => {
  const outage = (date: string, minutes: number) => day(date, { up: 288 - minutes / 5, down: minutes / 5, downtimeMinutes: minutes });

  test("a day down for longer than incidents.blip with no public incident is unplanned downtime, listed by runs", () => {
    const rollups = new Map<string, RollupSet>([["api-tcp", { hourly: [], daily: [outage("2026-11-17", 720), outage("2026-11-18", 720), day("2026-11-19"), outage("2026-11-20", 10)] }]]);
    const result = model({ rollups });
    const days = result.components[0]!.days;
    expect(days.slice(-4).map((bar) => [bar.date, bar.status, bar.unplanned])).toEqual([
      ["2026-11-17", "major_outage", true],
      ["2026-11-18", "major_outage", true],
      ["2026-11-19", "operational", false],
      ["2026-11-20", "partial_outage", false],
    ]);
    expect(result.unplanned).toEqual([{ component: { id: "api", name: "API" }, from: "2026-11-17", to: "2026-11-18", downtimeMinutes: 1440 }]);
  });

  test("downtime an incident or a maintenance window explains is not unplanned, a recurring window's past occurrences included", () => {
    const rollups = new Map<string, RollupSet>([["api-tcp", { hourly: [], daily: [day("2026-11-08"), outage("2026-11-15", 60), outage("2026-11-18", 120)] }]]);
    const explained = incident({ id: "down", title: "API down", status: "resolved", providers: ["api"], impact: "major", started: "2026-11-18T01:00:00Z", resolved: "2026-11-18T03:00:00Z", updates: [{ at: "2026-11-18T01:10:00Z", status: "investigating", message: "Looking." }, { at: "2026-11-18T03:30:00Z", status: "resolved", message: "Fixed." }] });
    const weekly = incident({ id: "weekly", kind: "maintenance", title: "Restart", status: "scheduled", providers: ["api"], recurrence: { days: ["sun"], start: "02:00", duration: "1h" }, updates: [{ at: "2026-11-01T00:00:00Z", status: "scheduled", message: "Every Sunday." }] });
    const result = model({ rollups, incidents: [explained, weekly] });
    expect(result.unplanned).toEqual([]);
    const bars = result.components[0]!.days;
    expect(bars.find((bar) => bar.date === "2026-11-15")).toMatchObject({ status: "under_maintenance", plannedMinutes: 60, events: [{ id: "weekly", title: "Restart", kind: "maintenance" }] });
    // A window without downtime leaves the day as measured; downtime past the window is unplanned.
    expect(bars.find((bar) => bar.date === "2026-11-08")!.status).toBe("operational");
    const overran = model({ rollups: new Map([["api-tcp", { hourly: [], daily: [outage("2026-11-15", 180)] }]]), incidents: [weekly] });
    expect(overran.components[0]!.days.find((bar) => bar.date === "2026-11-15")).toMatchObject({ status: "major_outage", unplanned: true });
    expect(bars.find((bar) => bar.date === "2026-11-18")!.events).toEqual([{ id: "down", title: "API down", kind: "incident" }]);
  });
});

describe("uptime coverage", () => {
  test("the figure says over how many days with data it was computed", () => {
    const daily = ["2026-11-09", "2026-11-10", "2026-11-11"].map((date) => day(date));
    const [component] = model({ rollups: new Map([["api-tcp", { hourly: [hour("2026-11-20T09:00:00.000Z")], daily }]]) }).components;
    expect(component!.coverage).toEqual({ "24h": 1, "7d": 1, "30d": 3, "90d": 3 });
    expect(component!.uptime["90d"]).toBe(1);
  });
});

describe("events over time", () => {
  const updates = [
    { at: "2026-11-20T08:05:00Z", status: "investigating", message: "Looking." },
    { at: "2026-11-20T08:40:00Z", status: "identified", message: "Found it." },
    { at: "2026-11-20T09:00:00Z", status: "monitoring", message: "Fix deployed." },
    { at: "2026-11-20T09:30:00Z", status: "resolved", message: "All good." },
  ];
  const resolved = incident({ id: "outage", title: "API: requests failing", status: "resolved", providers: ["api"], impact: "major", components: { api: "partial_outage" }, started: "2026-11-20T08:00:00Z", resolved: "2026-11-20T08:55:00Z", updates });

  test("each update records its own transition: opened to the effect, resolved back to operational", () => {
    const [event] = model({ incidents: [resolved] }).incidents;
    expect(event!.updates.map((update) => [update.status, update.transitions.map((change) => `${change.from}→${change.to}`)])).toEqual([
      ["resolved", ["partial_outage→operational"]],
      ["monitoring", []],
      ["identified", []],
      ["investigating", ["operational→partial_outage"]],
    ]);
  });

  test("resolved_at is when it was marked resolved; service restored, monitoring and updated times mean what they say", () => {
    const [event] = model({ incidents: [resolved] }).incidents;
    expect(event).toMatchObject({
      createdAt: "2026-11-20T08:05:00.000Z",
      startedAt: "2026-11-20T08:00:00.000Z",
      monitoringAt: "2026-11-20T09:00:00.000Z",
      restoredAt: "2026-11-20T08:55:00.000Z",
      resolvedAt: "2026-11-20T09:30:00.000Z",
      updatedAt: "2026-11-20T09:30:00.000Z",
    });
  });

  test("an update dated after the build is not published yet, and the page's updated time is its latest change", () => {
    const later = incident({ id: "outage", title: "x", status: "investigating", providers: ["api"], impact: "minor", started: "2026-11-20T08:00:00Z", updates: [updates[0], { at: "2026-11-20T12:00:00Z", status: "identified", message: "From the future." }] });
    const result = model({ incidents: [later], state: state({ "api-tcp": "up" }) });
    expect(result.incidents[0]!.updates.map((update) => update.message)).toEqual(["Looking."]);
    expect(result.updatedAt).toBe("2026-11-20T10:30:00.000Z");
    expect(model({ incidents: [resolved], state: { ...state({ "api-tcp": "up" }), checks: { "api-tcp": { status: "up", since: "2026-11-19T00:00:00.000Z", failStreak: 0, okStreak: 0, regions: {} } } } }).updatedAt).toBe("2026-11-20T09:30:00.000Z");
  });

  test("a maintenance is public from its announcement: created then, started when its window begins, never dated in the future", () => {
    const silent = incident({ id: "silent", kind: "maintenance", title: "x", status: "scheduled", providers: ["api"], scheduledFor: "2026-11-25T10:00:00Z", scheduledUntil: "2026-11-25T11:00:00Z" });
    const announced = incident({ ...silent.frontmatter, id: "announced", updates: [{ at: "2026-11-19T09:00:00Z", status: "scheduled", message: "Planned." }] });
    const result = model({ incidents: [silent, announced] });
    expect(result.maintenances.map((event) => event.id)).toEqual(["announced"]);
    expect(result.maintenances[0]).toMatchObject({ createdAt: "2026-11-19T09:00:00.000Z", startedAt: "2026-11-19T09:00:00.000Z", updatedAt: "2026-11-19T09:00:00.000Z", scheduledFor: "2026-11-25T10:00:00.000Z" });
    expect(result.maintenances[0]!.updates[0]!.transitions).toEqual([]);
  });
});
