import { describe, expect, test } from "vitest";
import { dueChecks, shardOf } from "../../scripts/core/due.ts";
import type { CheckBase, ResolvedCheck } from "../../scripts/core/model.ts";
import type { CheckState } from "../../scripts/core/schema/records.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MINUTE = 60_000;

function check(id: string, overrides: Partial<ResolvedCheck<CheckBase>> = {}): ResolvedCheck<CheckBase> {
  return { id, type: "http", enabled: true, provider: "p", name: id, cadence: 5 * MINUTE, timeout: 10_000, retries: 1, failureThreshold: 2, recoveryThreshold: 2, ...overrides };
}

function probedAgo(ms: number, region = "local"): CheckState {
  return { status: "up", since: ago(ms), failStreak: 0, okStreak: 1, regions: { [region]: { status: "up", since: ago(ms), lastSampleAt: ago(ms), recent: [] } } };
}

describe("due checks", () => {
  // [scenario, check overrides, last probe in this region (ms ago) or undefined, due?]
  const table: [string, Partial<ResolvedCheck<CheckBase>>, number | undefined, boolean][] = [
    ["never probed", {}, undefined, true],
    ["cadence elapsed", {}, 5 * MINUTE, true],
    ["cadence not elapsed", {}, 2 * MINUTE, false],
    ["a run a few seconds early still probes it", {}, 5 * MINUTE - 20_000, true],
    ["more than the slack early waits", {}, 5 * MINUTE - 40_000, false],
    ["the slack is a tenth of a short cadence", { cadence: MINUTE }, MINUTE - 7_000, false],
    ["a tenth of a short cadence early is due", { cadence: MINUTE }, MINUTE - 6_000, true],
    ["disabled checks never run", { enabled: false }, undefined, false],
    ["checks pinned to other regions do not run here", { regions: ["eu-west"] }, undefined, false],
    ["checks pinned to this region run", { regions: ["local", "eu-west"] }, undefined, true],
  ];

  test.each(table)("%s", (_name, overrides, last, due) => {
    const states: Record<string, CheckState> = last === undefined ? {} : { api: probedAgo(last) };
    expect(dueChecks([check("api", overrides)], states, "local", NOW).map((entry) => entry.id)).toEqual(due ? ["api"] : []);
  });

  test("each region keeps its own schedule", () => {
    const states = { api: probedAgo(MINUTE, "eu-west") };
    expect(dueChecks([check("api")], states, "local", NOW)).toHaveLength(1);
    expect(dueChecks([check("api")], states, "eu-west", NOW)).toHaveLength(0);
  });

  test("keeps the configured order", () => {
    const checks = [check("c"), check("a"), check("b")];
    expect(dueChecks(checks, { a: probedAgo(MINUTE) }, "local", NOW).map((entry) => entry.id)).toEqual(["c", "b"]);
  });

  test("shards split the checks: every check in exactly one shard, the same one every run", () => {
    const checks = Array.from({ length: 40 }, (_, index) => check(`check-${index}`));
    const parts = [1, 2, 3].map((index) => dueChecks(checks, {}, "local", NOW, { index, count: 3 }).map((entry) => entry.id));
    expect(parts.flat().sort()).toEqual(checks.map((entry) => entry.id).sort());
    expect(parts.every((part) => part.length > 5)).toBe(true);
    expect(parts[shardOf("check-7", 3) - 1]).toContain("check-7");
  });
});
