import { describe, expect, test } from "vitest";
import { drive, everyMinute, makeProvider, makeRule, minutes, MINUTE, sample, summary } from "../helpers/alerting.ts";
import { evaluateRules } from "../../scripts/core/alerts/evaluate.ts";
import { replay } from "../../scripts/core/alerts/replay.ts";
import { rollupSamples } from "../../scripts/core/rollup.ts";
import { makeConfig } from "../helpers/alerting.ts";

const START = "2026-11-16T10:00:00.000Z";
const api = makeProvider("api", [{ id: "web" }, { id: "beat", type: "heartbeat", window: "10m" }]);

/** The minutes (HH:MM) at which the rule fired and cleared, replaying one sample per minute. */
function firesAndClears(condition: Record<string, unknown>, pattern: string, extra?: (index: number) => Record<string, unknown>, ruleExtra: Record<string, unknown> = {}): string[] {
  const rule = makeRule({ checks: ["web"], condition, ...ruleExtra });
  const runs = drive({ rules: [rule], providers: [api] }, minutes("web", START, pattern, extra), everyMinute(START, pattern.length));
  return summary(runs).map((line) => line.replace(/ → .*/, "").replace(" rule", ""));
}

describe("state for N consecutive runs", () => {
  test.each([
    { pattern: "uuduuuu", expected: [], why: "a single failure never fires" },
    { pattern: "uudduuuu", expected: ["10:03 fired", "10:05 cleared"], why: "fires on the second failing run, clears after two passing runs (recoveryThreshold)" },
    { pattern: "uuddudduuu", expected: ["10:03 fired", "10:08 cleared"], why: "one passing run in between does not clear it: no flapping" },
    { pattern: "dudududu", expected: [], why: "a flapping check never has two failing runs in a row" },
    { pattern: "uugguu", expected: [], why: "degraded is not down" },
  ])("$pattern: $why", ({ pattern, expected }) => {
    expect(firesAndClears({ type: "state", state: "down", for: 2 }, pattern)).toEqual(expected);
  });

  test("`degraded` matches degraded and worse", () => {
    expect(firesAndClears({ type: "state", state: "degraded", for: 2 }, "ugduuu")).toEqual(["10:02 fired", "10:04 cleared"]);
  });

  test("regions: raw samples count a run when at least half of its regions saw it; confirmed states need a majority of regions to confirm", () => {
    const at = (minute: number) => new Date(Date.parse(START) + minute * MINUTE);
    const regions = (minute: number, eu: "up" | "down", us: "up" | "down", ap: "up" | "down") =>
      ([["eu", eu], ["us", us], ["ap", ap]] as const).map(([region, state]) => ({ ...sample("web", at(minute), state), region, run: `run-${minute}` }));
    const fired = (source: string, samples: ReturnType<typeof regions>) =>
      summary(drive({ rules: [makeRule({ checks: ["web"], condition: { type: "state", state: "down", for: 2, source } })], providers: [api] }, samples, [at(0), at(1)]));
    const oneRegion = [...regions(0, "down", "up", "up"), ...regions(1, "down", "up", "up")];
    const shifting = [...regions(0, "down", "down", "up"), ...regions(1, "down", "up", "down")];
    const twoRegions = [...regions(0, "down", "down", "up"), ...regions(1, "down", "down", "up")];
    expect(fired("samples", oneRegion)).toEqual([]);
    expect(fired("samples", shifting)).toEqual(["10:01 fired rule → chat, mail"]);
    expect(fired("confirmed", oneRegion)).toEqual([]);
    // Only eu saw two failures in a row: no region majority confirmed the check down.
    expect(fired("confirmed", shifting)).toEqual([]);
    expect(fired("confirmed", twoRegions)).toEqual(["10:01 fired rule → chat, mail"]);
  });

  test("the episode starts at the first failing sample, before the rule fired", () => {
    const rule = makeRule({ checks: ["web"], condition: { type: "state", state: "down", for: 3 } });
    const runs = drive({ rules: [rule], providers: [api] }, minutes("web", START, "uddd"), everyMinute(START, 4));
    const fired = runs[3]!.events[0]!;
    expect(fired).toMatchObject({ type: "fired", onsetAt: "2026-11-16T10:01:00.000Z", at: "2026-11-16T10:03:00.000Z", incident: "SEV-2" });
  });
});

describe("state rules read the confirmed check state unless they ask for raw samples", () => {
  const strict = makeProvider("api", [{ id: "web", failureThreshold: 3, recoveryThreshold: 2 }]);
  const run = (condition: Record<string, unknown>, pattern: string) => {
    const rule = makeRule({ checks: ["web"], severity: "critical", condition });
    return drive({ rules: [rule], providers: [strict] }, minutes("web", START, pattern), everyMinute(START, pattern.length));
  };
  const lines = (runs: ReturnType<typeof run>) => summary(runs).map((line) => line.replace(/ → .*/, "").replace(" rule", ""));

  test("failureThreshold 3, `state: down, for: 1`: one failing sample fires nothing, pages nobody, opens no incident", () => {
    const runs = run({ type: "state", state: "down", for: 1 }, "uduuu");
    expect(lines(runs)).toEqual([]);
    expect(runs.flatMap((step) => step.notifications)).toEqual([]);
    expect(runs[1]!.alerts.rule).toMatchObject({ state: "ok", detail: "down in the latest samples, not confirmed yet: web" });
  });

  test("it fires when the third failure confirms the check down, and clears when the recovery is confirmed", () => {
    expect(lines(run({ type: "state", state: "down", for: 1 }, "udddduuu"))).toEqual(["10:03 fired", "10:06 cleared"]);
    // `for` counts runs in the state from its first failing sample, so up to the threshold it changes nothing…
    expect(lines(run({ type: "state", state: "down", for: 3 }, "udddduuu"))).toEqual(["10:03 fired", "10:06 cleared"]);
    // …and past it, it waits longer.
    expect(lines(run({ type: "state", state: "down", for: 4 }, "udddduuu"))).toEqual(["10:04 fired", "10:06 cleared"]);
  });

  test("`source: samples` asks for raw samples: the first failing sample fires", () => {
    expect(lines(run({ type: "state", state: "down", for: 1, source: "samples" }, "uduuu"))).toEqual(["10:01 fired", "10:03 cleared"]);
  });

  test("degraded needs a confirmed degraded (or down) check too", () => {
    expect(lines(run({ type: "state", state: "degraded", for: 1 }, "uguggguu"))).toEqual(["10:05 fired", "10:07 cleared"]);
  });

  test("the alert bench replay sees confirmed states too", () => {
    const rule = makeRule({ checks: ["web"], severity: "critical", condition: { type: "state", state: "down", for: 1 } });
    const steps = [...replay({ rules: [rule], config: makeConfig(), providers: [strict], routes: makeConfig().routes, incidents: [], samples: minutes("web", START, "uduuuddd") })];
    expect(steps.flatMap((step) => step.events.map((event) => `${step.at.toISOString().slice(11, 16)} ${event.type}`))).toEqual(["10:07 fired"]);
  });
});

describe("hysteresis: fire at X, clear only past Y", () => {
  // 20 samples per 20-minute window once it is full (from 10:19); each failing sample is 5 %.
  const rate = (failing: number[]) => (index: number) => ({ state: failing.includes(index) ? ("down" as const) : ("up" as const) });
  const errorRate = { type: "errorRate", window: "20m", above: 10, clearBelow: 5, minSamples: 5 };

  test.each([
    { failing: [38, 39], expected: [], why: "exactly 10 % does not fire (above means above)" },
    { failing: [37, 38, 39], expected: ["10:39 fired"], why: "15 % fires" },
  ])("$why", ({ failing, expected }) => {
    expect(firesAndClears(errorRate, "u".repeat(40), rate(failing))).toEqual(expected);
  });

  test("after firing at 15 %, 10 % and 5 % hold it; it clears below 5 %", () => {
    // Failures at minutes 37–39 leave the 20-minute window at minutes 57 (10 % left), 58 (5 %) and 59 (0 %).
    expect(firesAndClears(errorRate, "u".repeat(60), rate([37, 38, 39]))).toEqual(["10:39 fired", "10:59 cleared"]);
  });

  test("fewer samples than minSamples never fire", () => {
    expect(firesAndClears({ ...errorRate, minSamples: 5 }, "dddd")).toEqual([]);
  });

  test("errors: 10 in 5 minutes fires, 9 does not (aggregation, never one alert per error)", () => {
    const errors = { type: "errors", count: 10, within: "5m" };
    const burst = (count: number) => Array.from({ length: count }, (_, i) => sample("web", new Date(Date.parse(START) + i * 20_000), "down"));
    const rule = makeRule({ checks: ["web"], condition: errors });
    const at = [new Date(Date.parse(START) + 4 * MINUTE)];
    expect(summary(drive({ rules: [rule], providers: [api] }, burst(9), at))).toEqual([]);
    expect(summary(drive({ rules: [rule], providers: [api] }, burst(10), at))).toEqual(["10:04 fired rule → chat, mail"]);
  });

  test("latency P95 above 800 ms fires, stays until below 600 ms", () => {
    const latency = { type: "latency", percentile: 95, window: "5m", above: "800ms", clearBelow: "600ms", minSamples: 3 };
    const ms = [100, 100, 100, 900, 900, 900, 900, 700, 700, 700, 700, 700, 500, 500, 500, 500, 500];
    // At 10:15 the 5-minute window still holds one 700 ms sample (P95 of five is their maximum); at 10:16 it is all 500 ms.
    expect(firesAndClears(latency, "u".repeat(ms.length), (i) => ({ latencyMs: ms[i] }))).toEqual(["10:03 fired", "10:16 cleared"]);
  });

  test("metric: queue above 100 fires, clears only at 50", () => {
    const depth = [10, 120, 90, 60, 50, 40];
    expect(firesAndClears({ type: "metric", metric: "queue_depth", above: 100, clearAt: 50 }, "uuuuuu", (i) => ({ metrics: { queue_depth: depth[i]! } }))).toEqual([
      "10:01 fired",
      "10:04 cleared",
    ]);
  });

  test("minFiring keeps a fired alert up even when it recovers at once", () => {
    const condition = { type: "state", state: "down", for: 1, source: "samples" };
    expect(firesAndClears(condition, "duuuuuuuu", undefined, { minFiring: "5m" })).toEqual(["10:00 fired", "10:05 cleared"]);
    expect(firesAndClears(condition, "duuuuuuuu")).toEqual(["10:00 fired", "10:02 cleared"]);
  });
});

describe("absence and silent heartbeats", () => {
  test("a heartbeat silent for longer than `for` fires; the next beat clears it", () => {
    const rule = makeRule({ checks: ["beat"], condition: { type: "absence", for: "10m" } });
    const beats = [sample("beat", START, "up"), sample("beat", "2026-11-16T10:25:00.000Z", "up")];
    // The probe's own "no beat arrived" samples do not count as a beat.
    const probeSays = everyMinute("2026-11-16T10:11:00.000Z", 10).map((at) => sample("beat", at, "down"));
    const at = ["2026-11-16T10:10:00.000Z", "2026-11-16T10:10:30.000Z", "2026-11-16T10:20:00.000Z", "2026-11-16T10:25:00.000Z"];
    const runs = drive({ rules: [rule], providers: [api] }, [...beats, ...probeSays], at);
    expect(summary(runs)).toEqual(["10:10 fired rule → chat, mail", "10:25 cleared rule → chat, mail"]);
    expect(runs[1]!.alerts.rule!.detail).toBe("beat silent for 10m30s (fires after 10m)");
  });

  test("no data at all: silence counts from when the rule started watching", () => {
    const rule = makeRule({ checks: ["web"], condition: { type: "absence", for: "15m" } });
    expect(summary(drive({ rules: [rule], providers: [api] }, [], everyMinute(START, 17)))).toEqual(["10:16 fired rule → chat, mail"]);
  });
});

describe("business hours (activeDuring)", () => {
  const noOrders = {
    checks: ["web"],
    condition: { type: "metric", metric: "orders", window: "10m", below: 1 },
    activeDuring: { start: "06:00", end: "22:00", timezone: "Europe/Berlin" },
  };
  const quiet = (start: string, count: number) => minutes("web", start, "u".repeat(count), () => ({ metrics: { orders: 0 } }));

  test.each([
    { at: "2026-11-16T05:30:00.000Z", fires: true, why: "06:30 in Berlin (UTC+1 in November) is business hours" },
    { at: "2026-11-16T04:30:00.000Z", fires: false, why: "05:30 in Berlin is before opening" },
    { at: "2026-11-16T21:30:00.000Z", fires: false, why: "22:30 in Berlin is after closing" },
    { at: "2026-07-16T04:30:00.000Z", fires: true, why: "06:30 in Berlin in July (UTC+2)" },
  ])("$why", ({ at, fires }) => {
    const rule = makeRule(noOrders);
    const samples = quiet(new Date(Date.parse(at) - 15 * MINUTE).toISOString(), 16);
    expect(summary(drive({ rules: [rule], providers: [api] }, samples, [at])).length).toBe(fires ? 1 : 0);
  });

  test("a firing business-hours alert resolves when the hours end", () => {
    const rule = makeRule(noOrders);
    const samples = quiet("2026-11-16T20:40:00.000Z", 40);
    const runs = drive({ rules: [rule], providers: [api] }, samples, ["2026-11-16T20:55:00.000Z", "2026-11-16T21:05:00.000Z"]);
    expect(summary(runs)).toEqual(["20:55 fired rule → chat, mail", "21:05 cleared rule → chat, mail"]);
    expect(runs[1]!.events[0]).toMatchObject({ reason: "inactive" });
  });

  test("a window across midnight (22:00–06:00 in New York)", () => {
    const rule = makeRule({ ...noOrders, activeDuring: { start: "22:00", end: "06:00", timezone: "America/New_York" } });
    const fires = (at: string) => summary(drive({ rules: [rule], providers: [api] }, quiet(new Date(Date.parse(at) - 15 * MINUTE).toISOString(), 16), [at])).length === 1;
    expect(fires("2026-11-17T04:00:00.000Z")).toBe(true); // 23:00 in New York
    expect(fires("2026-11-17T10:00:00.000Z")).toBe(true); // 05:00
    expect(fires("2026-11-17T12:00:00.000Z")).toBe(false); // 07:00
  });
});

describe("anomaly against a baseline", () => {
  test("today's failures above 1.5 × the 30-day daily average fire; a zero baseline never does", () => {
    const rule = makeRule({ checks: ["web"], condition: { type: "anomaly", metric: "failed", window: "1d", baseline: "30d", factor: 1.5 } });
    const now = new Date("2026-11-16T12:00:00.000Z");
    const history = (perDay: number) => {
      const days = Array.from({ length: 30 }, (_, day) => sample("web", new Date(now.getTime() - (day + 2) * 86_400_000), "up", { metrics: { failed: perDay } }));
      return { web: { hourly: [], daily: rollupSamples(days, "day", MINUTE) } };
    };
    // Today so far: two earlier hours (read from their hourly rollups) and the hour under way (its samples).
    const today = (failed: number) => [
      sample("web", new Date(now.getTime() - 3 * 3_600_000), "up", { metrics: { failed: Math.floor(failed / 3) } }),
      sample("web", new Date(now.getTime() - 2 * 3_600_000), "up", { metrics: { failed: Math.floor(failed / 3) } }),
      sample("web", new Date(now.getTime() + MINUTE), "up", { metrics: { failed: failed - 2 * Math.floor(failed / 3) } }),
    ];
    const evaluate = (perDay: number, failed: number) => {
      const [earlier, later, current] = today(failed);
      const past = history(perDay);
      const withToday = { web: { ...past.web, hourly: rollupSamples([earlier!, later!], "hour", MINUTE) } };
      const at = new Date(now.getTime() + 2 * MINUTE);
      return evaluateRules({ now: at, rules: [rule], config: makeConfig(), providers: [api], samples: [current!], history: withToday, incidents: [], alerts: {} });
    };
    expect(evaluate(10, 16).events.map((event) => event.type)).toEqual(["fired"]);
    expect(evaluate(10, 15).events).toEqual([]);
    expect(evaluate(10, 15).alerts.rule!.detail).toBe("failed 15 in the last 1d vs 10 on average (fires above 15)");
    expect(evaluate(0, 3).events).toEqual([]);
  });
});
