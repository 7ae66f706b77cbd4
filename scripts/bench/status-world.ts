/**
 * A synthetic status history written with the store functions: rollups for every public check, live state
 * and incidents. The site bench builds a large one; tests and the screenshot script add history to a real
 * workspace. Deterministic: the same seed gives the same world.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Rollup, StateFile } from "../core/schema/records.ts";
import { joinFrontmatter } from "../store/frontmatter.ts";
import { writeRollups } from "../store/rollups.ts";
import { writeState } from "../store/state.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Mulberry32: a tiny seeded generator, so worlds are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Outage {
  from: number;
  to: number;
}

function bucket(start: number, size: number, cadence: number, base: number, random: () => number, outages: readonly Outage[]): Rollup {
  const count = Math.round(size / cadence);
  const overlap = outages.reduce((sum, outage) => sum + Math.max(0, Math.min(outage.to, start + size) - Math.max(outage.from, start)), 0);
  const down = Math.min(count, Math.round(overlap / cadence));
  const degraded = random() < 0.03 ? Math.min(count - down, Math.round(count * 0.05)) : 0;
  const p50 = Math.round(base * (0.8 + random() * 0.4));
  return {
    start: new Date(start).toISOString(),
    count,
    up: count - down - degraded,
    degraded,
    down,
    error: 0,
    downtimeMinutes: (down * cadence) / 60_000,
    p50,
    p95: Math.round(p50 * (1.6 + random())),
    p99: Math.round(p50 * (2.8 + random())),
    max: Math.round(p50 * (4 + random() * 2)),
  };
}

/** Hourly rollups for `hourlyDays` and daily rollups for `days`, up to `now`. */
export async function writeCheckHistory(
  root: string,
  check: string,
  options: { now: Date; days: number; hourlyDays: number; cadence: number; seed: number; outages?: Outage[] },
): Promise<void> {
  const random = seeded(options.seed);
  const base = 60 + Math.round(random() * 240);
  const now = options.now.getTime();
  const today = now - (now % DAY);
  const thisHour = now - (now % HOUR);
  const outages = options.outages ?? [];
  const daily = Array.from({ length: options.days }, (_, index) => bucket(today - (options.days - 1 - index) * DAY, DAY, options.cadence, base, random, outages));
  const hours = options.hourlyDays * 24;
  const hourly = Array.from({ length: hours }, (_, index) => bucket(thisHour - (hours - 1 - index) * HOUR, HOUR, options.cadence, base, random, outages));
  await writeRollups(root, { check, hourly, daily });
}

export async function writeLiveState(root: string, now: Date, checks: Record<string, StateFile["checks"][string]["status"]>): Promise<void> {
  const at = now.toISOString();
  await writeState(root, {
    version: 1,
    updatedAt: at,
    lastRun: { id: "run-synthetic", at, region: "local", durationMs: 1200, checks: Object.keys(checks).length },
    checks: Object.fromEntries(Object.entries(checks).map(([id, status]) => [id, { status, since: at, failStreak: 0, okStreak: 3, regions: {} }])),
    alerts: {},
    outbox: [],
  });
}

export async function writeIncident(root: string, frontmatter: Record<string, unknown> & { id: string }, body = ""): Promise<void> {
  await mkdir(join(root, "incidents"), { recursive: true });
  await writeFile(join(root, "incidents", `${frontmatter.id}.md`), joinFrontmatter(frontmatter, body));
}

export interface WorldSize {
  components: number;
  groups: number;
  days: number;
  incidents: number;
}

/** A whole workspace: `components` public providers with one check each, history, state and incidents. */
export async function writeStatusWorld(root: string, size: WorldSize, now: Date): Promise<void> {
  const random = seeded(7);
  await mkdir(join(root, "checks/providers"), { recursive: true });
  const config = {
    page: { title: "Synthetic status", description: "A large synthetic status page.", url: "https://status.example.com" },
    lanes: [{ id: "api" }],
    defaults: { cadence: "5m" },
  };
  await writeFile(join(root, "checks/signalroom.yaml"), stringify(config));
  await writeFile(join(root, "checks/alert-rules.yaml"), stringify({ rules: [] }));
  const ids = Array.from({ length: size.components }, (_, index) => `component-${String(index + 1).padStart(4, "0")}`);
  const outagesOf = new Map<string, Outage[]>();
  const incidentSpan = (size.days * DAY) / Math.max(1, size.incidents);
  for (let index = 0; index < size.incidents; index++) {
    const provider = ids[Math.floor(random() * ids.length)]!;
    const started = now.getTime() - (index + 1) * incidentSpan + random() * incidentSpan * 0.5;
    const resolved = started + (10 + random() * 120) * 60_000;
    const open = index === 0;
    outagesOf.set(provider, [...(outagesOf.get(provider) ?? []), { from: started, to: open ? now.getTime() : resolved }]);
    const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    await writeIncident(root, {
      id: `incident-${String(index + 1).padStart(4, "0")}`,
      title: `Elevated errors on ${provider}`,
      severity: "SEV-3",
      status: open ? "investigating" : "resolved",
      providers: [provider],
      impact: open ? "major" : "minor",
      components: { [provider]: "partial_outage" },
      started: at(started),
      detected: at(started + 60_000),
      ...(open ? {} : { resolved: at(resolved) }),
      updates: [
        { at: at(started + 120_000), status: "investigating", message: "We are looking into **elevated error rates**." },
        ...(open ? [] : [{ at: at(resolved), status: "resolved", message: "Error rates are back to normal." }]),
      ],
    });
  }
  for (const [index, id] of ids.entries()) {
    const provider = {
      id,
      name: `Provider ${index + 1}`,
      lane: "api",
      owner: "Platform",
      kind: "api",
      readiness: "live",
      consumer: "Customers",
      recovery: "Restart it",
      evidence: { note: "Synthetic." },
      public: { name: `Service ${index + 1}`, group: `Group ${(index % size.groups) + 1}`, order: index },
      checks: [{ id: `${id}-http`, type: "http", url: "https://example.com/health" }],
    };
    await writeFile(join(root, "checks/providers", `${id}.yaml`), stringify(provider));
    await writeCheckHistory(root, `${id}-http`, { now, days: size.days, hourlyDays: 35, cadence: 5 * 60_000, seed: index + 1, outages: outagesOf.get(id) });
  }
  await writeLiveState(root, now, Object.fromEntries(ids.map((id) => [`${id}-http`, "up" as const])));
}

/**
 * History for a real workspace (the example configuration): rollups for every public check, live state
 * with one outage, and a realistic set of incidents and maintenance around `now`.
 */
export async function writeExampleHistory(root: string, now: Date, providers: { id: string; public: unknown; checks: { id: string; enabled: boolean; cadence: number }[] }[]): Promise<void> {
  const at = (minutesAgo: number) => new Date(Math.floor(now.getTime() / 60_000) * 60_000 - minutesAgo * 60_000).toISOString();
  const outages: Record<string, Outage[]> = {
    "stripe-webhook": [{ from: Date.parse(at(42)), to: now.getTime() }],
    "auth-session": [{ from: Date.parse(at(3 * 1440 + 95)), to: Date.parse(at(3 * 1440 + 20)) }],
  };
  const statuses: Record<string, "up" | "down" | "degraded"> = {};
  let seed = 11;
  for (const provider of providers.filter((entry) => entry.public !== false)) {
    for (const check of provider.checks.filter((entry) => entry.enabled)) {
      await writeCheckHistory(root, check.id, { now, days: 120, hourlyDays: 35, cadence: check.cadence, seed: seed++, outages: outages[check.id] });
      statuses[check.id] = outages[check.id]?.some((outage) => outage.to >= now.getTime()) ? "down" : "up";
    }
  }
  await writeLiveState(root, now, statuses);
  await writeIncident(
    root,
    {
      id: "payments-delayed",
      title: "Card payments are delayed",
      severity: "SEV-2",
      status: "identified",
      providers: ["payment-webhooks"],
      impact: "major",
      components: { "payment-webhooks": "partial_outage" },
      started: at(42),
      detected: at(40),
      updates: [
        { at: at(35), status: "investigating", message: "Some card payments are taking longer than usual to confirm. We are investigating." },
        { at: at(12), status: "identified", message: "Our payment provider is delivering confirmations late. **No payment is lost**: every payment will be confirmed once deliveries catch up.\n\nNext update within 30 minutes." },
      ],
    },
    "Internal narrative of the payments incident.",
  );
  await writeIncident(root, {
    id: "login-errors",
    title: "Some members could not sign in",
    severity: "SEV-3",
    status: "resolved",
    providers: ["better-auth"],
    impact: "minor",
    components: { "better-auth": "partial_outage" },
    started: at(3 * 1440 + 95),
    detected: at(3 * 1440 + 90),
    resolved: at(3 * 1440 + 20),
    summary: "A configuration change rejected some valid sessions. It was rolled back, and members can sign in again.",
    updates: [
      { at: at(3 * 1440 + 85), status: "investigating", message: "Some members see an error when signing in." },
      { at: at(3 * 1440 + 50), status: "monitoring", message: "A fix is rolled out; we are watching sign-ins." },
      { at: at(3 * 1440 + 20), status: "resolved", message: "Signing in works for everyone again." },
    ],
  });
  await writeIncident(root, {
    id: "database-slow",
    title: "Slow pages while the database was busy",
    severity: "SEV-4",
    status: "resolved",
    providers: ["postgres-database"],
    impact: "minor",
    components: { "postgres-database": "degraded_performance" },
    started: at(40 * 1440),
    resolved: at(40 * 1440 - 55),
    updates: [
      { at: at(40 * 1440 - 5), status: "investigating", message: "Pages load slowly." },
      { at: at(40 * 1440 - 55), status: "resolved", message: "Page times are back to normal." },
    ],
  });
  await writeIncident(root, {
    id: "database-upgrade",
    kind: "maintenance",
    title: "Database upgrade",
    status: "scheduled",
    providers: ["postgres-database"],
    impact: "minor",
    components: { "postgres-database": "under_maintenance" },
    scheduledFor: at(-2 * 1440),
    scheduledUntil: at(-2 * 1440 - 60),
    updates: [{ at: at(60), status: "scheduled", message: "We will upgrade the database. Bookings may be read-only for up to an hour." }],
  });
  await writeIncident(root, {
    id: "weekly-api-restart",
    kind: "maintenance",
    title: "Weekly API restart",
    status: "scheduled",
    providers: ["health-endpoint"],
    impact: "none",
    recurrence: { days: ["sun"], start: "03:00", duration: "15m", timezone: "Europe/Berlin" },
    updates: [{ at: at(20 * 1440), status: "scheduled", message: "The API restarts every Sunday night; requests may be refused for a few seconds." }],
  });
}
