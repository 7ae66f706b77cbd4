/**
 * The status rules as properties (docs/public-site.md, "How statuses are decided"): over generated
 * histories — check states, 90 days of rollups, recent hours, incidents and maintenance in any order and
 * state, updates dated before and after the build — the banner, the component statuses, the day bars,
 * the uptime figures, the incident list and the timestamps never contradict each other.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { normaliseProvider, type Incident } from "../../scripts/core/model.ts";
import type { RollupSet } from "../../scripts/core/public-history.ts";
import { buildStatusModel, rankOf, worstStatus, type ComponentStatus, type PublicStatus, type StatusModel } from "../../scripts/core/public-view.ts";
import type { Rollup, StateFile } from "../../scripts/core/schema/records.ts";
import { configFile, incidentFrontmatter, providerFile, type Check } from "../../scripts/schemas.ts";
import { bannerText, dayText } from "../../site/public/lib/words.ts";

const NOW = new Date("2026-11-20T10:30:00Z");
const HOUR = 3_600_000;
const DAY = 86_400_000;
const config = configFile.parse({ page: { title: "Status" }, lanes: [{ id: "api" }] });
const BLIP_MINUTES = config.incidents.blip / 60_000;
const TODAY = Date.parse("2026-11-20T00:00:00Z");
const at = (offsetMinutes: number) => new Date(NOW.getTime() + offsetMinutes * 60_000).toISOString();

const IMPACT_STATUS = { none: undefined, minor: "degraded_performance", major: "partial_outage", critical: "major_outage" } as const;

function provider(id: string, checks: string[], group: string) {
  const file = providerFile.parse({
    id,
    name: id,
    lane: "api",
    owner: "o",
    kind: "api",
    readiness: "live",
    consumer: "c",
    recovery: "r",
    evidence: { note: "e" },
    public: { name: id.toUpperCase(), group },
    checks: checks.map((check) => ({ id: check, type: "tcp", host: "127.0.0.1", port: 1 })),
  });
  return normaliseProvider<Check>(file, config.defaults);
}

/** Sample counts of one rollup: some up, degraded and down, and the downtime the down ones make. */
const counts = (max: number) =>
  fc.tuple(fc.nat(max), fc.nat(max), fc.nat(max)).map(([up, degraded, down]) => ({ up, degraded, down, error: 0, count: up + degraded + down, downtimeMinutes: Math.min(max * 5, down * 5) }));

const dailyRollups = fc.uniqueArray(fc.integer({ min: 0, max: 89 }), { maxLength: 30 }).chain((days) =>
  fc.tuple(...days.map((daysAgo) => counts(288).map((sample): Rollup => ({ start: new Date(TODAY - daysAgo * DAY).toISOString(), p50: 100, p95: 200, ...sample })))),
);
const hourlyRollups = fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }).chain((hours) =>
  fc.tuple(...hours.map((hoursAgo) => counts(12).map((sample): Rollup => ({ start: new Date(Math.floor(NOW.getTime() / HOUR) * HOUR - hoursAgo * HOUR).toISOString(), p50: 100, p95: 200, ...sample })))),
);
const checkStatus = fc.constantFrom("up", "degraded", "down", "unknown", undefined);

const componentSpec = fc.record({
  group: fc.constantFrom("Core", "Billing"),
  checks: fc.array(fc.record({ status: checkStatus, daily: dailyRollups, hourly: hourlyRollups }), { minLength: 1, maxLength: 2 }),
});

const effect = fc.constantFrom(undefined, "degraded_performance", "partial_outage", "major_outage");
const update = (statuses: readonly string[]) => fc.record({ minutes: fc.integer({ min: -20 * 24 * 60, max: 3 * 60 }), status: fc.constantFrom(...statuses), message: fc.constantFrom("Looking into it.", "Scheduled: work ahead.", "**Fixed**.") });

const incidentSpec = fc.record({
  kind: fc.constant("incident" as const),
  components: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
  status: fc.constantFrom("investigating", "identified", "monitoring", "resolved"),
  impact: fc.constantFrom("none", "minor", "major", "critical"),
  effect,
  startedMinutes: fc.integer({ min: -30 * 24 * 60, max: -1 }),
  lastedMinutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
  updates: fc.array(update(["investigating", "identified", "monitoring", "resolved"]), { maxLength: 4 }),
});

const maintenanceSpec = fc.record({
  kind: fc.constant("maintenance" as const),
  components: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }),
  status: fc.constantFrom("scheduled", "in_progress", "verifying", "completed"),
  startMinutes: fc.integer({ min: -10 * 24 * 60, max: 10 * 24 * 60 }),
  lengthMinutes: fc.integer({ min: 10, max: 6 * 60 }),
  updates: fc.array(update(["scheduled", "in_progress", "verifying", "completed"]), { maxLength: 3 }),
});

const world = fc.record({
  components: fc.array(componentSpec, { minLength: 1, maxLength: 4 }),
  events: fc.array(fc.oneof(incidentSpec, maintenanceSpec), { maxLength: 4 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(spec: World): StatusModel {
  const providers = spec.components.map((component, index) => provider(`c${index}`, component.checks.map((_, check) => `c${index}-k${check}`), component.group));
  const checks: StateFile["checks"] = {};
  const rollups = new Map<string, RollupSet>();
  spec.components.forEach((component, index) =>
    component.checks.forEach((check, position) => {
      const id = `c${index}-k${position}`;
      if (check.status) checks[id] = { status: check.status, since: at(-90), failStreak: 0, okStreak: 0, regions: {}, ...(check.status === "unknown" ? {} : { lastSampleAt: at(-1) }) };
      rollups.set(id, { daily: check.daily, hourly: check.hourly });
    }),
  );
  const ids = (indexes: number[]) => indexes.filter((index) => index < providers.length).map((index) => providers[index]!.id);
  const incidents = spec.events.flatMap((event, index): Incident[] => {
    const providerIds = ids(event.components);
    if (providerIds.length === 0) return [];
    const updates = event.updates.map((entry) => ({ at: at(entry.minutes), status: entry.status, message: entry.message }));
    const fields =
      event.kind === "incident"
        ? {
            severity: "SEV-2",
            status: event.status,
            impact: event.impact,
            components: event.effect ? Object.fromEntries(providerIds.map((id) => [id, event.effect])) : {},
            started: at(event.startedMinutes),
            ...(event.status === "resolved" ? { resolved: at(Math.min(-1, event.startedMinutes + event.lastedMinutes)) } : {}),
          }
        : { status: event.status, scheduledFor: at(event.startMinutes), scheduledUntil: at(event.startMinutes + event.lengthMinutes) };
    const frontmatter = incidentFrontmatter.parse({ id: `e${index}`, title: `Event ${index}`, kind: event.kind, providers: providerIds, updates, ...fields });
    return [{ file: `incidents/e${index}.md`, frontmatter, body: "" }];
  });
  const state: StateFile = { version: 1, updatedAt: NOW.toISOString(), lastRun: { id: "r", at: NOW.toISOString(), region: "local", durationMs: 1, checks: 1 }, checks, alerts: {}, outbox: [] };
  return buildStatusModel<Check>({ config, providers, incidents, state, rollups, now: NOW });
}

const generatedAt = NOW.toISOString();
const rank = (status: PublicStatus) => rankOf(status);
const property = (name: string, check: (model: StatusModel) => void) => test(name, () => fc.assert(fc.property(world, (spec) => check(build(spec))), { numRuns: 300 }));

describe("the banner", () => {
  property("is the worst known status of the components, open incidents and maintenance, and never operational while something is not", (model) => {
    const statuses: PublicStatus[] = [
      ...model.components.map((component) => component.status),
      ...model.openIncidents.flatMap((incident) => IMPACT_STATUS[incident.impact] ?? []),
      ...(model.activeMaintenances.length > 0 ? ["under_maintenance" as const] : []),
    ];
    expect(model.overall.status).toBe(worstStatus(statuses));
    for (const component of model.components) if (component.status !== "no_data") expect(rank(model.overall.status)).toBeGreaterThanOrEqual(rank(component.status));
    expect(model.overall.withData).toBe(model.components.filter((component) => component.status !== "no_data").length);
    if (model.overall.status === "operational") {
      expect(model.components.every((component) => component.status === "operational" || component.status === "no_data")).toBe(true);
      expect(model.activeMaintenances).toEqual([]);
    }
  });

  property("says all systems operational only when every component has data and is operational", (model) => {
    const text = bannerText(model);
    const allGood = model.components.length > 0 && model.components.every((component) => component.status === "operational") && model.overall.status === "operational";
    expect(text === "All systems operational").toBe(allGood);
  });
});

describe("component status", () => {
  property("is at least what an open incident declares, under maintenance while a window holds it, no data only when nothing is known", (model) => {
    for (const component of model.components) {
      const effects = model.openIncidents.flatMap((incident) => {
        const affected = incident.components.find((entry) => entry.id === component.id);
        if (!affected) return [];
        const declared = affected.effect ?? IMPACT_STATUS[incident.impact];
        return declared ? [declared as ComponentStatus] : [];
      });
      for (const declared of effects) expect(rank(component.status)).toBeGreaterThanOrEqual(rank(declared));
      const held = model.activeMaintenances.some((event) => event.components.some((entry) => entry.id === component.id));
      if (held) expect(rank(component.status)).toBeGreaterThanOrEqual(rank("under_maintenance"));
      if (component.status === "no_data") expect(effects).toEqual([]);
    }
  });

  property("group status is the worst known status of its components", (model) => {
    for (const group of model.groups) expect(group.status).toBe(worstStatus(group.components.map((component) => component.status)));
  });
});

describe("day bars", () => {
  property("today's bar is never better than an outage or degradation right now", (model) => {
    for (const component of model.components) {
      if (component.status === "no_data" || component.status === "under_maintenance") continue;
      expect(rank(component.days.at(-1)!.status)).toBeGreaterThanOrEqual(rank(component.status));
    }
  });

  property("a bar is green only without downtime, major below 95 % uptime, no data only without samples or events", (model) => {
    for (const bar of model.components.flatMap((component) => component.days)) {
      expect(bar.downtimeMinutes).toBeLessThanOrEqual(1440);
      const planned = bar.downtimeMinutes <= bar.plannedMinutes && bar.events.some((event) => event.kind === "maintenance");
      if (bar.uptime !== undefined && bar.uptime < 0.95) expect(planned ? rank(bar.status) >= rank("under_maintenance") : bar.status === "major_outage").toBe(true);
      if (bar.status === "operational") expect(bar.uptime === undefined || bar.uptime === 1 || bar.downtimeMinutes === 0).toBe(true);
      if (bar.uptime !== undefined && bar.uptime < 1) expect(bar.status).not.toBe("operational");
      if (bar.status === "no_data") expect(bar.uptime).toBeUndefined();
    }
  });

  property("unexplained downtime longer than a blip is unplanned, is listed, and never reads as 'no incidents'", (model) => {
    for (const component of model.components) {
      for (const bar of component.days) {
        expect(bar.unplanned).toBe(!bar.events.some((event) => event.kind === "incident") && bar.downtimeMinutes - bar.plannedMinutes > BLIP_MINUTES);
        if (bar.downtimeMinutes > 0) expect(dayText(bar)).not.toContain("no incidents");
        if (bar.unplanned) expect(model.unplanned.some((run) => run.component.id === component.id && run.from <= bar.date && bar.date <= run.to)).toBe(true);
      }
    }
    const events = new Set([...model.incidents, ...model.maintenances].map((event) => event.id));
    for (const bar of model.components.flatMap((component) => component.days)) for (const event of bar.events) expect(events.has(event.id)).toBe(true);
  });
});

describe("uptime", () => {
  property("agrees with the bars: undefined without data, 100 % only without a down sample, and its coverage counts the days with data", (model) => {
    for (const component of model.components) {
      const measured = component.days.filter((bar) => bar.uptime !== undefined);
      expect(component.coverage["90d"]).toBe(measured.length);
      expect(component.uptime["90d"] === undefined).toBe(measured.length === 0);
      if (measured.some((bar) => bar.uptime! < 1)) expect(component.uptime["90d"]).toBeLessThan(1);
      if (component.uptime["90d"] === 1) expect(measured.every((bar) => bar.uptime === 1)).toBe(true);
    }
  });
});

describe("incidents and timestamps", () => {
  property("nothing is dated after the build; created ≤ updated; the page's updated time is the latest change", (model) => {
    for (const event of [...model.incidents, ...model.maintenances]) {
      expect(event.createdAt <= event.updatedAt).toBe(true);
      expect(event.updatedAt <= generatedAt).toBe(true);
      expect(event.startedAt <= generatedAt).toBe(true);
      if (event.resolvedAt) expect(event.resolvedAt <= generatedAt).toBe(true);
      for (const update of event.updates) expect(update.at <= event.updatedAt).toBe(true);
      expect(model.updatedAt >= event.updatedAt).toBe(true);
    }
    expect(model.updatedAt <= generatedAt).toBe(true);
  });

  property("each update's transitions replay to the status the event leaves its components in", (model) => {
    for (const event of [...model.incidents, ...model.maintenances]) {
      const current = new Map(event.components.map((component) => [component.id, "operational"]));
      for (const update of [...event.updates].reverse()) {
        for (const change of update.transitions) {
          expect(change.from).toBe(current.get(change.id));
          expect(change.to).not.toBe(change.from);
          current.set(change.id, change.to);
        }
      }
      const last = event.updates[0];
      if (last && (last.status === "resolved" || last.status === "completed")) expect([...current.values()].every((status) => status === "operational")).toBe(true);
    }
  });

  property("open incidents are exactly the unresolved ones, and each one's components show it", (model) => {
    expect(model.openIncidents).toEqual(model.incidents.filter((incident) => incident.status !== "resolved"));
    for (const incident of model.openIncidents) {
      const effect = incident.components[0]?.effect ?? IMPACT_STATUS[incident.impact];
      if (!effect) continue;
      for (const { id } of incident.components) expect(model.components.find((component) => component.id === id)!.status).not.toBe("operational");
    }
  });
});
