import { describe, expect, test } from "vitest";
import { computeSignal, summariseRoom, type RankedProvider, type Signal, type SignalClass, type SignalInput } from "../../scripts/core/signal.ts";

const settings = { operational: 75, blocked: 30, stale: 3 };
const now = new Date("2026-11-20T12:00:00Z");
const lanes = ["payments", "webhook", "api", "identity", "messaging", "reporting", "infrastructure"].map((id) => ({
  id,
  emptyAction: "No provider in this lane yet",
}));

/** The seed's twelve providers, with the signal, readiness-derived class and recovery action it shows. */
const SEED: [string, string, number, SignalClass, string][] = [
  ["Postgres database", "infrastructure", 95, "operational", "Keep monitoring cadence and evidence freshness"],
  ["AI decision log", "api", 95, "operational", "Keep monitoring cadence and evidence freshness"],
  ["Better Auth", "identity", 92, "operational", "Deepen role-aware session usage across more surfaces"],
  ["Health endpoint", "api", 90, "operational", "Run health smoke and inspect contract drift"],
  ["booking.changed", "webhook", 86, "operational", "Verify idempotency, payload hash, retry policy, and owner alerting"],
  ["Members API", "api", 63, "degraded", "Finish auth scope, examples, audit event, and rate-limit definition"],
  ["Payment webhooks", "payments", 61, "degraded", "Inspect provider logs, queues, deployment context, and recent user-facing failures"],
  ["Payment rails", "payments", 54, "degraded", "Decide real retry/recovery ownership across providers"],
  ["payment.failed", "webhook", 38, "planned", "Verify idempotency, payload hash, retry policy, and owner alerting"],
  ["Bookings API", "api", 35, "planned", "Finish auth scope, examples, audit event, and rate-limit definition"],
  ["Resend", "messaging", 32, "planned", "Use for recovery, lead follow-up, and event comms"],
  ["ai.decision.logged", "webhook", 18, "blocked", "Pause automation, inspect failed payloads, and define retry/dead-letter behavior"],
];

function seedProviders(): RankedProvider[] {
  // Shuffled on purpose: the ranking must come from the signals, not the input order.
  return [...SEED].reverse().map(([name, lane, score, signalClass, recovery], index) => ({
    id: name,
    name,
    lane,
    recovery,
    signal: { score, class: signalClass, basis: "samples", breakdown: [], lastSignalAt: `2026-11-20T11:${String(index).padStart(2, "0")}:00Z` } satisfies Signal,
  }));
}

describe("the seed's operations room", () => {
  const room = summariseRoom(lanes, seedProviders());

  test("counters", () => {
    expect(room.counters).toEqual({ operational: 5, degraded: 3, blocked: 1, planned: 3, average: 63 });
  });

  test("lane cards", () => {
    const cards = Object.fromEntries(room.lanes.map((lane) => [lane.id, [lane.signals, lane.blocked, lane.watch, lane.average]]));
    expect(cards).toEqual({
      payments: [2, 0, 2, 58],
      webhook: [3, 1, 0, 47],
      api: [4, 0, 1, 71],
      identity: [1, 0, 0, 92],
      messaging: [1, 0, 0, 32],
      reporting: [0, 0, 0, 0],
      infrastructure: [1, 0, 0, 95],
    });
  });

  test("each lane card acts on its most urgent provider; an empty lane says so", () => {
    const actions = Object.fromEntries(room.lanes.map((lane) => [lane.id, lane.actionFrom ?? lane.action]));
    expect(actions).toEqual({
      payments: "Payment rails",
      webhook: "ai.decision.logged",
      api: "Members API",
      identity: "Better Auth",
      messaging: "Resend",
      reporting: "No provider in this lane yet",
      infrastructure: "Postgres database",
    });
  });

  test("queue order and priority recovery", () => {
    // Postgres and the AI decision log tie at 95: the fresher signal (Postgres, in this fixture) goes first.
    expect(room.queue.map((provider) => provider.name)).toEqual(SEED.map(([name]) => name));
    expect(room.priority.map((provider) => provider.name)).toEqual(["Members API", "Payment webhooks", "Payment rails", "ai.decision.logged"]);
  });
});

const minute = 60_000;
const live = (checks: SignalInput["checks"], extra: Partial<SignalInput> = {}): SignalInput => ({
  readiness: "live",
  readinessTasks: [],
  checks,
  openIncidents: [],
  ...extra,
});
const evidence = (up: number, degraded: number, down: number, ageMinutes = 1, status: "up" | "down" = "up") => ({
  check: "c",
  cadenceMs: 5 * minute,
  up,
  degraded,
  down,
  lastSampleAt: new Date(now.getTime() - ageMinutes * minute).toISOString(),
  status,
});

describe("signal properties", () => {
  const score = (input: SignalInput) => computeSignal(input, now, settings).score;

  test("a perfect measured provider scores its readiness ceiling", () => {
    expect(score(live([evidence(288, 0, 0)]))).toBe(95);
  });

  test("more failures lower it", () => {
    const scores = [0, 10, 50, 100].map((down) => score(live([evidence(288 - down, 0, down)])));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores).size).toBe(scores.length);
  });

  test("staler evidence lowers it, and stale evidence gives no freshness credit", () => {
    const ages = [1, 10, 12, 14, 60].map((age) => score(live([evidence(288, 0, 0, age)])));
    expect(ages[0]).toBe(95);
    expect(ages[1]).toBe(95);
    expect(ages[2]).toBeLessThan(ages[1]!);
    expect(ages[3]).toBeLessThan(ages[2]!);
    expect(ages[4]).toBe(81);
  });

  test("planned readiness caps it, even with perfect samples", () => {
    expect(score({ ...live([evidence(288, 0, 0)]), readiness: "planned" })).toBe(40);
    expect(score({ ...live([evidence(288, 0, 0)]), readiness: "documented" })).toBe(70);
  });

  test("recovery raises it again", () => {
    const during = computeSignal(live([evidence(200, 0, 88, 1, "down")]), now, settings);
    const after = computeSignal(live([evidence(260, 0, 28, 1, "up")]), now, settings);
    expect(during.class).toBe("blocked");
    expect(during.score).toBe(29);
    expect(after.score).toBeGreaterThan(during.score);
    expect(after.class).not.toBe("blocked");
  });

  test("an open incident lowers it by its severity", () => {
    const base = score(live([evidence(288, 0, 0)]));
    expect(score(live([evidence(288, 0, 0)], { openIncidents: [{ id: "i", severity: "SEV-3" }] }))).toBe(base - 10);
    expect(score(live([evidence(288, 0, 0)], { openIncidents: [{ id: "i", severity: "SEV-4" }, { id: "j", severity: "SEV-2" }] }))).toBe(base - 20);
  });

  test("without samples the score sits in the readiness band by tasks done (the seed's planned providers)", () => {
    const tasks = (done: number, total: number) => Array.from({ length: total }, (_, i) => ({ task: `t${i}`, done: i < done }));
    expect(score({ readiness: "planned", readinessTasks: tasks(4, 5), checks: [], openIncidents: [] })).toBe(38);
    expect(score({ readiness: "planned", readinessTasks: tasks(2, 4), checks: [], openIncidents: [] })).toBe(35);
    expect(score({ readiness: "planned", readinessTasks: tasks(1, 5), checks: [], openIncidents: [] })).toBe(32);
    expect(score({ readiness: "documented", readinessTasks: tasks(3, 4), checks: [], openIncidents: [] })).toBe(63);
  });

  test("the breakdown adds up to the score", () => {
    const signal = computeSignal(live([evidence(200, 50, 38, 13)], { openIncidents: [{ id: "i", severity: "SEV-4" }] }), now, settings);
    const sum = signal.breakdown.reduce((total, item) => total + item.points, 0);
    expect(Math.round(sum)).toBe(signal.score);
    expect(signal.breakdown.map((item) => item.factor)).toEqual(["readiness", "availability", "latency", "freshness", "open incident"]);
  });
});
