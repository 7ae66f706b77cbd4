import { appendFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { stateFile } from "../../scripts/core/schema/records.ts";
import { regionFrom, runIdFrom, runProbeCycle, shardFrom, type CycleOptions } from "../../scripts/engine.ts";
import { readRollups } from "../../scripts/store/rollups.ts";
import { readLog } from "../../scripts/store/runlog.ts";
import { appendSamples, readSamples } from "../../scripts/store/samples.ts";
import type { Workspace } from "../../scripts/workspace.ts";
import { httpCheck, probeWorkspace } from "../helpers/probe-workspace.ts";
import { serveHttp } from "../helpers/servers.ts";

const T0 = "2026-11-20T10:00:00.000Z";
const MINUTE = 60_000;
const DAY = 86_400_000;

/** A real HTTP target whose health the test switches. */
async function switchableTarget() {
  let healthy = true;
  const server = await serveHttp((_, response) => {
    response.writeHead(healthy ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: healthy ? "ok" : "failing" }));
  });
  return { server, set: (value: boolean) => (healthy = value) };
}

function cycleOptions(root: string, workspace: Workspace, clock: ReturnType<typeof manualClock>, runId: string): CycleOptions {
  return { root, workspace, clock, env: {}, region: "local", runId };
}

const allSamples = (root: string) => readSamples(root, new Date(Date.parse(T0) - 400 * DAY), new Date(Date.parse(T0) + DAY));

describe("probe cycle against a real target", () => {
  test("a target goes down and recovers: backdated outage, state, samples, rollups and run log", async () => {
    const target = await switchableTarget();
    const { root, workspace } = await probeWorkspace([httpCheck("members-health", `${target.server.url}/health`, { conditions: ["[BODY].status == ok"] })]);
    const clock = manualClock(T0);
    const health = [true, true, false, false, false, true, true];
    const transitions = [];
    for (const [minute, healthy] of health.entries()) {
      target.set(healthy);
      clock.set(new Date(Date.parse(T0) + minute * MINUTE));
      const result = await runProbeCycle(cycleOptions(root, workspace, clock, `run-${minute}`));
      expect(result.samples.map((sample) => sample.state)).toEqual([healthy ? "up" : "down"]);
      transitions.push(...result.transitions.map((t) => `${t.from}→${t.to} at ${t.at.slice(11, 16)} since ${t.since.slice(11, 16)}`));
    }
    expect(transitions).toEqual(["unknown→up at 10:00 since 10:00", "up→down at 10:03 since 10:02", "down→up at 10:06 since 10:05"]);

    const state = stateFile.parse(JSON.parse(await readFile(join(root, "checks/state.json"), "utf8")));
    expect(state.checks["members-health"]).toMatchObject({
      provider: "members-api",
      type: "http",
      cadenceMs: MINUTE,
      status: "up",
      since: "2026-11-20T10:05:00.000Z",
      lastStatusCode: 200,
      lastSuccessAt: "2026-11-20T10:06:00.000Z",
      lastFailureAt: "2026-11-20T10:04:00.000Z",
      lastError: "status 503, expected 2xx; [BODY].status == ok ✗ got failing",
      okStreak: 2,
      failStreak: 0,
    });
    expect(state.lastRun).toMatchObject({ id: "run-6", at: "2026-11-20T10:06:00.000Z", region: "local", checks: 1 });

    const { samples, warnings } = await allSamples(root);
    expect(warnings).toEqual([]);
    expect(samples.map((sample) => `${sample.run}:${sample.state}`)).toEqual(health.map((healthy, minute) => `run-${minute}:${healthy ? "up" : "down"}`));
    expect(samples[2]!.conditions).toEqual([{ text: "[BODY].status == ok", ok: false, actual: "failing" }]);
    expect((await readFile(join(root, "checks/results/local/2026-11-20.ndjson"), "utf8")).trimEnd().split("\n")).toHaveLength(7);

    const rollups = await readRollups(root, "members-health");
    expect(rollups.hourly).toHaveLength(1);
    expect(rollups.hourly[0]).toMatchObject({ start: "2026-11-20T10:00:00.000Z", count: 7, up: 4, down: 3, downtimeMinutes: 3 });
    expect(rollups.daily[0]).toMatchObject({ start: "2026-11-20T00:00:00.000Z", count: 7 });

    const { entries } = await readLog(root, new Date(T0), new Date(Date.parse(T0) + DAY));
    expect(entries.filter((entry) => entry.service === "engine" && entry.check === "members-health").map((entry) => [entry.level, entry.message])).toEqual([
      ["info", "members-health is up (was unknown)"],
      ["error", "members-health is down (was up)"],
      ["info", "members-health is up (was down)"],
    ]);
    expect(new Set(entries.map((entry) => entry.run))).toEqual(new Set(health.map((_, minute) => `run-${minute}`)));
  });

  test("only due checks are probed: a run before the cadence has elapsed leaves the target alone", async () => {
    const target = await switchableTarget();
    const { root, workspace } = await probeWorkspace([
      httpCheck("every-minute", target.server.url),
      httpCheck("every-five", `${target.server.url}/five`, { cadence: "5m" }),
      httpCheck("switched-off", `${target.server.url}/off`, { enabled: false }),
      httpCheck("elsewhere", `${target.server.url}/eu`, { regions: ["eu-west"] }),
    ]);
    const clock = manualClock(T0);
    const probed: string[][] = [];
    for (const offset of [0, 30_000, MINUTE, 2 * MINUTE, 5 * MINUTE]) {
      clock.set(new Date(Date.parse(T0) + offset));
      probed.push((await runProbeCycle(cycleOptions(root, workspace, clock, `run-${offset}`))).probed.map((check) => check.id));
    }
    expect(probed).toEqual([["every-minute", "every-five"], [], ["every-minute"], ["every-minute"], ["every-minute", "every-five"]]);
    expect(target.server.requests.map((request) => request.url).filter((url) => url !== "/")).toEqual(["/five", "/five"]);
  });

  test("damaged lines from an earlier crash are skipped with a warning, and the cycle carries on", async () => {
    const target = await switchableTarget();
    const { root, workspace } = await probeWorkspace([httpCheck("members-health", target.server.url)]);
    const clock = manualClock(T0);
    await runProbeCycle(cycleOptions(root, workspace, clock, "run-1"));
    await appendFile(join(root, "checks/results/local/2026-11-20.ndjson"), '{"run":"crashed","region":"lo');
    clock.set(new Date(Date.parse(T0) + MINUTE));
    const result = await runProbeCycle(cycleOptions(root, workspace, clock, "run-2"));
    expect(result.warnings).toMatchObject([{ file: "checks/results/local/2026-11-20.ndjson", line: 2, severity: "warning" }]);
    expect((await allSamples(root)).samples.map((sample) => sample.run)).toEqual(["run-1", "run-2"]);
    const { entries } = await readLog(root, new Date(T0), new Date(Date.parse(T0) + DAY));
    expect(entries.some((entry) => entry.level === "warning" && entry.message.startsWith("checks/results/local/2026-11-20.ndjson:2 unreadable results line"))).toBe(true);
  });

  test("retention prunes old samples and log days while the rollups stay", async () => {
    const target = await switchableTarget();
    const { root, workspace } = await probeWorkspace([httpCheck("members-health", target.server.url)], { retention: { samples: "30d", runLog: "7d" } });
    const old = new Date(Date.parse(T0) - 40 * DAY).toISOString();
    await appendSamples(root, [{ at: old, check: "members-health", region: "local", run: "old", state: "up", latencyMs: 5 }]);
    const clock = manualClock(old);
    await runProbeCycle(cycleOptions(root, workspace, clock, "old-run"));
    clock.set(T0);
    const result = await runProbeCycle(cycleOptions(root, workspace, clock, "run-now"));
    expect(result.removed).toEqual(["checks/results/local/2026-10-11.ndjson", "checks/logs/local/2026-10-11.ndjson"]);
    expect(result.written).toEqual(
      expect.arrayContaining(["checks/results/local/2026-11-20.ndjson", "checks/state.json", "checks/logs/local/2026-11-20.ndjson", "checks/rollups/members-health.json"]),
    );
    expect(await readdir(join(root, "checks/results/local"))).toEqual(["2026-11-20.ndjson"]);
    expect(await readdir(join(root, "checks/logs/local"))).toEqual(["2026-11-20.ndjson"]);
    expect((await readRollups(root, "members-health")).daily.map((entry) => entry.start)).toEqual(["2026-10-11T00:00:00.000Z", "2026-11-20T00:00:00.000Z"]);
  });
});

describe("two cycles at once on one folder", () => {
  test("no torn file, no lost sample: both runs' samples are written and the state reads", async () => {
    const slow = await serveHttp((_, response) => setTimeout(() => response.writeHead(200).end("ok"), 150));
    const checks = Array.from({ length: 6 }, (_, index) => httpCheck(`check-${index}`, `${slow.url}/${index}`));
    const { root, workspace } = await probeWorkspace(checks);
    const clock = manualClock(T0);
    const [first, second] = await Promise.all([
      runProbeCycle(cycleOptions(root, workspace, clock, "run-a")),
      runProbeCycle(cycleOptions(root, workspace, clock, "run-b")),
    ]);
    expect(first.samples).toHaveLength(6);
    expect(second.samples).toHaveLength(6);
    const { samples, warnings } = await allSamples(root);
    expect(warnings).toEqual([]);
    expect(samples.filter((sample) => sample.run === "run-a")).toHaveLength(6);
    expect(samples.filter((sample) => sample.run === "run-b")).toHaveLength(6);
    const state = stateFile.parse(JSON.parse(await readFile(join(root, "checks/state.json"), "utf8")));
    expect(Object.values(state.checks).map((check) => check.status)).toEqual(Array(6).fill("up"));
    expect(["run-a", "run-b"]).toContain(state.lastRun?.id);
    expect((await readRollups(root, "check-0")).hourly[0]!.count).toBe(2);
    const leftovers = (await readdir(join(root, "checks"), { recursive: true })).filter((name) => name.endsWith(".tmp") || name.includes(".probe.lock"));
    expect(leftovers).toEqual([]);
  });
});

describe("where a run comes from", () => {
  test("run id from GitHub Actions, else random; region and shard from the environment", () => {
    expect(runIdFrom({ GITHUB_RUN_ID: "123456", GITHUB_RUN_ATTEMPT: "2" })).toBe("123456-2");
    expect(runIdFrom({})).toMatch(/^local-[0-9a-f]{8}$/);
    expect(runIdFrom({})).not.toBe(runIdFrom({}));
    expect(regionFrom({})).toBe("local");
    expect(regionFrom({ SIGNALROOM_REGION: "eu-west" })).toBe("eu-west");
    expect(() => regionFrom({ SIGNALROOM_REGION: "../etc" })).toThrow(/SIGNALROOM_REGION must use lowercase letters/);
    expect(shardFrom({})).toBeUndefined();
    expect(shardFrom({ SIGNALROOM_SHARD: "2/4" })).toEqual({ index: 2, count: 4 });
    expect(() => shardFrom({ SIGNALROOM_SHARD: "5/4" })).toThrow(/SIGNALROOM_SHARD must look like 2\/4/);
  });
});
