import { describe, expect, test } from "vitest";
import { advanceChecks, type Transition } from "../../scripts/core/check-state.ts";
import { manualClock } from "../../scripts/core/clock.ts";
import type { CheckBase, ResolvedCheck } from "../../scripts/core/model.ts";
import type { CheckState, Sample } from "../../scripts/core/schema/records.ts";

const T0 = Date.parse("2026-11-20T12:00:00Z");
const MINUTE = 60_000;
const at = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

function check(overrides: Partial<ResolvedCheck<CheckBase>> = {}): ResolvedCheck<CheckBase> {
  return {
    id: "api",
    type: "http",
    enabled: true,
    provider: "members-api",
    name: "API",
    cadence: MINUTE,
    timeout: 10_000,
    retries: 1,
    failureThreshold: 2,
    recoveryThreshold: 2,
    ...overrides,
  };
}

type Letter = "u" | "g" | "d" | "e";
const STATE = { u: "up", g: "degraded", d: "down", e: "error" } as const;

/** `"a:u@0 a:d@1"`: region a saw up at minute 0 and down at minute 1; the region defaults to `local`. */
function samples(script: string, checkId = "api"): Sample[] {
  return script
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const match = /^(?:([a-z]+):)?([ugde])@(\d+)$/.exec(token);
      if (!match) throw new Error(`bad token ${token}`);
      const [, region = "local", letter, minute] = match;
      return { at: at(Number(minute)), check: checkId, region, run: `run-${minute}`, state: STATE[letter as Letter], latencyMs: 100 };
    });
}

/** Feeds the samples one run (minute) at a time, as probe runs do, and collects every transition. */
function run(script: string, nowMinute: number, target = check(), start: Record<string, CheckState> = {}) {
  const all = samples(script);
  const clock = manualClock(at(0));
  let state = start;
  const transitions: Transition[] = [];
  const minutes = [...new Set(all.map((sample) => Date.parse(sample.at)))].sort((a, b) => a - b);
  for (const minute of minutes) {
    clock.set(new Date(minute));
    const step = advanceChecks([target], state, all.filter((sample) => Date.parse(sample.at) === minute), clock.now());
    state = step.checks;
    transitions.push(...step.transitions);
  }
  clock.set(at(nowMinute));
  const last = advanceChecks([target], state, [], clock.now());
  transitions.push(...last.transitions);
  return { state: last.checks[target.id]!, transitions };
}

const brief = (transitions: Transition[]) =>
  transitions.map((t) => `${t.from}→${t.to} at ${(Date.parse(t.at) - T0) / MINUTE} since ${(Date.parse(t.since) - T0) / MINUTE}`);

describe("one region: thresholds and backdating", () => {
  // [scenario, samples, now (minute), overrides, final status, transitions as "from→to at M since M"]
  const table: [string, string, number, Partial<ResolvedCheck<CheckBase>>, string, string[]][] = [
    ["first passing sample confirms up", "u@0", 0, {}, "up", ["unknown→up at 0 since 0"]],
    ["two failures confirm down, backdated to the first", "u@0 u@1 d@2 d@3", 3, {}, "down", ["unknown→up at 0 since 0", "up→down at 3 since 2"]],
    ["a single failure is a blip", "u@0 d@1 u@2 u@3", 3, {}, "up", ["unknown→up at 0 since 0"]],
    ["failure threshold 1 confirms at once", "u@0 d@1", 1, { failureThreshold: 1 }, "down", ["unknown→up at 0 since 0", "up→down at 1 since 1"]],
    ["three failures needed when configured", "u@0 d@1 d@2", 2, { failureThreshold: 3 }, "up", ["unknown→up at 0 since 0"]],
    [
      "recovery needs two passes in a row",
      "u@0 d@1 d@2 u@3 d@4 u@5 u@6",
      6,
      {},
      "up",
      ["unknown→up at 0 since 0", "up→down at 2 since 1", "down→up at 6 since 5"],
    ],
    ["recovery threshold 3", "d@0 d@1 u@2 u@3 u@4", 4, { recoveryThreshold: 3 }, "up", ["unknown→down at 1 since 0", "down→up at 4 since 2"]],
    ["degraded needs the failure threshold too", "u@0 g@1 u@2 g@3 g@4", 4, {}, "degraded", ["unknown→up at 0 since 0", "up→degraded at 4 since 3"]],
    ["degraded back to up needs the recovery threshold", "g@0 g@1 u@2 g@3 u@4 u@5", 5, {}, "up", ["unknown→degraded at 1 since 0", "degraded→up at 5 since 4"]],
    ["degraded then down goes straight to down", "u@0 g@1 d@2 d@3", 3, {}, "down", ["unknown→up at 0 since 0", "up→degraded at 2 since 1", "degraded→down at 3 since 2"]],
    ["a recovery that is still slow is degraded", "d@0 d@1 g@2 u@3", 3, {}, "degraded", ["unknown→down at 1 since 0", "down→degraded at 3 since 2"]],
    ["probe errors neither fail nor pass", "u@0 e@1 e@2 e@3", 3, {}, "up", ["unknown→up at 0 since 0"]],
    ["errors between failures do not break the streak", "u@0 d@1 e@2 d@3", 3, {}, "down", ["unknown→up at 0 since 0", "up→down at 3 since 1"]],
    ["stale after 3 cadences: unknown, not up", "u@0", 4, {}, "unknown", ["unknown→up at 0 since 0", "up→unknown at 4 since 3"]],
    ["exactly 3 cadences is still fresh", "u@0", 3, {}, "up", ["unknown→up at 0 since 0"]],
    ["only errors for a while is stale", "u@0 e@1 e@2 e@3 e@4", 4, {}, "unknown", ["unknown→up at 0 since 0", "up→unknown at 4 since 3"]],
    ["stale window follows the cadence", "u@0", 14, { cadence: 5 * MINUTE }, "up", ["unknown→up at 0 since 0"]],
    ["a silence resets the streak", "u@0 d@1 d@10", 10, {}, "unknown", ["unknown→up at 0 since 0", "up→unknown at 10 since 4"]],
    [
      "an outage that was never seen ending keeps its start",
      "d@0 d@1 d@10 d@11",
      11,
      {},
      "down",
      ["unknown→down at 1 since 0", "down→unknown at 10 since 4", "unknown→down at 11 since 0"],
    ],
  ];

  test.each(table)("%s", (_name, script, now, overrides, status, expected) => {
    const result = run(script, now, check(overrides));
    expect(result.state.status).toBe(status);
    expect(brief(result.transitions)).toEqual(expected);
    if (status === "down") expect(result.state.outageStartedAt).toBe(result.transitions.at(-1)!.since);
    else if (status === "up") expect(result.state.outageStartedAt).toBeUndefined();
    expect(result.state.since).toBe(result.transitions.at(-1)!.since);
  });
});

describe("several regions: quorum", () => {
  const table: [string, string, number, string, string[]][] = [
    ["two of three regions down confirm down", "a:u@0 b:u@0 c:u@0 a:d@1 b:d@1 c:u@1 a:d@2 b:d@2 c:u@2", 2, "down", ["unknown→up at 0 since 0", "up→down at 2 since 1"]],
    ["one of three regions down changes nothing", "a:u@0 b:u@0 c:u@0 a:d@1 b:u@1 c:u@1 a:d@2 b:u@2 c:u@2", 2, "up", ["unknown→up at 0 since 0"]],
    ["two regions that disagree keep the status", "a:u@0 b:u@0 a:d@1 b:u@1 a:d@2 b:u@2", 2, "up", ["unknown→up at 0 since 0"]],
    ["two regions that agree change it", "a:u@0 b:u@0 a:d@1 b:d@1 a:d@2 b:d@2", 2, "down", ["unknown→up at 0 since 0", "up→down at 2 since 1"]],
    ["a silent region does not vote", "a:u@0 b:u@0 a:d@5 a:d@6", 6, "down", ["unknown→up at 0 since 0", "up→unknown at 5 since 3", "unknown→down at 6 since 5"]],
    [
      "the outage starts at the earliest agreeing region",
      "a:u@0 b:u@0 c:u@0 a:d@1 b:u@1 c:u@1 a:d@2 b:d@2 c:u@2 b:d@3 c:u@3",
      3,
      "down",
      ["unknown→up at 0 since 0", "up→down at 3 since 1"],
    ],
  ];

  test.each(table)("%s", (_name, script, now, status, expected) => {
    const result = run(script, now);
    expect(result.state.status).toBe(status);
    expect(brief(result.transitions)).toEqual(expected);
  });

  test("each region keeps its own view", () => {
    const { state } = run("a:u@0 b:d@0 a:u@1 b:d@1", 1);
    expect(Object.fromEntries(Object.entries(state.regions).map(([name, region]) => [name, region.status]))).toEqual({ a: "up", b: "down" });
  });
});

describe("what the state records", () => {
  test("latency, status code, last error, last success and failure, streaks, failed conditions", () => {
    const target = check();
    const first: Sample = { at: at(0), check: "api", region: "local", run: "r0", state: "up", latencyMs: 120, status: 200 };
    const second: Sample = {
      at: at(1),
      check: "api",
      region: "local",
      run: "r1",
      state: "down",
      latencyMs: 30,
      status: 503,
      error: "HTTP 503",
      metrics: { queueDepth: 12 },
      conditions: [
        { text: "[STATUS] == 200", ok: false, actual: "503" },
        { text: "[RESPONSE_TIME] < 500", ok: true },
      ],
    };
    const { checks } = advanceChecks([target], {}, [first, second], new Date(at(1)));
    expect(checks.api).toMatchObject({
      provider: "members-api",
      type: "http",
      cadenceMs: MINUTE,
      lastSampleAt: at(1),
      lastState: "down",
      lastLatencyMs: 30,
      lastStatusCode: 503,
      lastMetrics: { queueDepth: 12 },
      lastError: "HTTP 503",
      lastSuccessAt: at(0),
      lastFailureAt: at(1),
      failStreak: 1,
      okStreak: 0,
      failedConditions: [{ text: "[STATUS] == 200", ok: false, actual: "503" }],
    });
    const third: Sample = { ...first, at: at(2), run: "r2" };
    const after = advanceChecks([target], checks, [third], new Date(at(2))).checks.api!;
    expect(after.failedConditions).toBeUndefined();
    expect(after.lastMetrics).toBeUndefined();
    expect(after.lastError).toBe("HTTP 503");
    expect([after.failStreak, after.okStreak]).toEqual([0, 1]);
  });

  test("feeding the same samples again changes nothing", () => {
    const target = check();
    const input = samples("u@0 d@1 d@2");
    const once = advanceChecks([target], {}, input, new Date(at(2)));
    const twice = advanceChecks([target], once.checks, input, new Date(at(2)));
    expect(twice.checks).toEqual(once.checks);
    expect(twice.transitions).toEqual([]);
  });

  test("samples in any order give the same result", () => {
    const target = check();
    const input = samples("u@0 d@1 d@2 u@3 u@4");
    const sorted = advanceChecks([target], {}, input, new Date(at(4)));
    const shuffled = advanceChecks([target], {}, [...input].reverse(), new Date(at(4)));
    expect(shuffled).toEqual(sorted);
  });

  test("a new check without samples is unknown and announces nothing", () => {
    const { checks, transitions } = advanceChecks([check()], {}, [], new Date(at(0)));
    expect(checks.api).toMatchObject({ status: "unknown", since: at(0), failStreak: 0, okStreak: 0, regions: {} });
    expect(transitions).toEqual([]);
  });

  test("removed and disabled checks drop out of the state", () => {
    const { checks } = advanceChecks([check(), check({ id: "old", enabled: false })], {}, [...samples("u@0"), ...samples("u@0", "old")], new Date(at(0)));
    expect(Object.keys(checks)).toEqual(["api"]);
  });

  test("samples of other checks are ignored", () => {
    const { checks } = advanceChecks([check()], {}, samples("d@0 d@1", "other"), new Date(at(1)));
    expect(checks.api!.status).toBe("unknown");
  });
});
