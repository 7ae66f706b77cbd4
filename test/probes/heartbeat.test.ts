import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { git } from "../../scripts/gitops/git.ts";
import { fetchPending, hydrate, PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { runCli } from "../helpers/cli.ts";
import { listFiles, originWithWorkspace } from "../helpers/git.ts";
import { makeCheck, run } from "../helpers/probe.ts";
import { edit, exampleWorkspace } from "../helpers/workspace.ts";

const CHECK = "ai-log-heartbeat"; // in the example workspace: window 10m, grace 0s

async function probeAt(root: string, at: string, window = "10m", grace = "2m") {
  const { samples } = await run([makeCheck({ id: CHECK, type: "heartbeat", window, grace })], { root, clock: manualClock(at) });
  return samples[0]!;
}

describe("npm run heartbeat", () => {
  test("records a beat in the check's own file, atomically; the heartbeat check reads it", async () => {
    const root = await exampleWorkspace();
    const clock = manualClock("2026-11-16T10:00:00Z");
    const result = await runCli(["heartbeat", "--root", root, CHECK], {}, { clock });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(`✓ heartbeat of ${CHECK} recorded at 2026-11-16T10:00:00.000Z (checks/heartbeats/${CHECK}.json)\n`);
    expect(JSON.parse(await readFile(join(root, `checks/heartbeats/${CHECK}.json`), "utf8"))).toEqual({ check: CHECK, at: "2026-11-16T10:00:00.000Z" });
    expect((await readdir(join(root, "checks/heartbeats"))).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    expect(await probeAt(root, "2026-11-16T10:09:00Z")).toMatchObject({ state: "up", metrics: { silence_s: 540 } });
    expect(await probeAt(root, "2026-11-16T10:11:00Z")).toMatchObject({
      state: "degraded",
      error: "late: silent for 11m since the last heartbeat at 2026-11-16T10:00:00.000Z (window 10m)",
    });
    expect(await probeAt(root, "2026-11-16T10:12:30Z")).toMatchObject({
      state: "down",
      metrics: { silence_s: 750 },
      error: "silent for 12m30s since the last heartbeat at 2026-11-16T10:00:00.000Z (window 10m + grace 2m)",
    });
  });

  test("--at records a past beat; an older beat never moves the heartbeat back", async () => {
    const root = await exampleWorkspace();
    const clock = manualClock("2026-11-16T10:00:00Z");
    expect((await runCli(["heartbeat", "--root", root, CHECK, "--at", "2026-11-16T09:55:00Z"], {}, { clock })).code).toBe(0);
    const older = await runCli(["heartbeat", "--root", root, CHECK, "--at", "2026-11-16T09:50:00+00:00"], {}, { clock });
    expect(older).toMatchObject({ code: 0, stdout: `• ${CHECK} already has a later heartbeat (2026-11-16T09:55:00.000Z); kept it\n` });
    expect(JSON.parse(await readFile(join(root, `checks/heartbeats/${CHECK}.json`), "utf8")).at).toBe("2026-11-16T09:55:00.000Z");
  });

  test("concurrent beats for different checks write different files", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/providers/ai-decision-log.yaml", "    grace: 0s", "    grace: 0s\n  - id: nightly-export\n    type: heartbeat\n    window: 1d");
    const clock = manualClock("2026-11-16T10:00:00Z");
    const results = await Promise.all([runCli(["heartbeat", "--root", root, CHECK], {}, { clock }), runCli(["heartbeat", "--root", root, "nightly-export"], {}, { clock })]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect((await readdir(join(root, "checks/heartbeats"))).sort()).toEqual([`${CHECK}.json`, "nightly-export.json"]);
  });

  test("--push publishes the beat like a probe run: it waits on the pending ref and the next run applies it", async () => {
    const origin = await originWithWorkspace();
    const job = await origin.clone("heartbeat-job");
    const clock = manualClock("2026-11-16T10:00:00Z");
    const result = await runCli(["heartbeat", "--root", job, CHECK, "--push"], {}, { clock });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(`✓ heartbeat of ${CHECK} recorded at 2026-11-16T10:00:00.000Z (checks/heartbeats/${CHECK}.json)\n  published on the pending ref\n`);
    expect(await git(job, ["status", "--porcelain"])).toBe("");
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toHaveLength(1);

    const probeJob = await origin.clone("probe-job");
    await hydrate(probeJob, (await fetchPending(probeJob, "origin")).runs);
    expect(await probeAt(probeJob, "2026-11-16T10:05:00Z")).toMatchObject({ state: "up", metrics: { silence_s: 300 } });
  });

  test.each([
    [["heartbeat", "no-such-check"], 'There is no check "no-such-check". Heartbeat checks: ai-log-heartbeat.'],
    [["heartbeat", "health-endpoint"], '"health-endpoint" is not a heartbeat check (its type is http). Heartbeat checks: ai-log-heartbeat.'],
    [["heartbeat"], "Name exactly one heartbeat check: npm run heartbeat -- CHECK_ID [--at ISO-TIME]."],
    [["heartbeat", CHECK, "--at", "yesterday"], '--at must be a date and time with a time zone, such as 2026-11-16T10:45:00Z, not "yesterday".'],
    [["heartbeat", CHECK, "--at", "2026-11-17T10:00:00Z"], "--at 2026-11-17T10:00:00Z is in the future; a heartbeat records something that already happened."],
  ])("%j → one clear sentence, exit 1, nothing written", async (args, message) => {
    const root = await exampleWorkspace();
    const result = await runCli([args[0]!, "--root", root, ...args.slice(1)], {}, { clock: manualClock("2026-11-16T10:00:00Z") });
    expect(result).toEqual({ code: 1, stdout: "", stderr: `${message}\n` });
    await expect(readdir(join(root, "checks/heartbeats"))).rejects.toThrow();
  });
});

describe("heartbeat check", () => {
  test("never beaten is down, saying so", async () => {
    const root = await exampleWorkspace();
    expect(await probeAt(root, "2026-11-16T10:00:00Z")).toMatchObject({ state: "down", error: "no heartbeat has been recorded yet" });
  });

  test("a damaged heartbeat file is an error naming the file, and the next beat repairs it", async () => {
    const root = await exampleWorkspace();
    await mkdir(join(root, "checks/heartbeats"), { recursive: true });
    await writeFile(join(root, `checks/heartbeats/${CHECK}.json`), '{"check": "ai-log-hear');
    expect(await probeAt(root, "2026-11-16T10:00:00Z")).toMatchObject({ state: "error", error: `checks/heartbeats/${CHECK}.json is not valid JSON; record a new heartbeat to replace it` });
    expect((await runCli(["heartbeat", "--root", root, CHECK], {}, { clock: manualClock("2026-11-16T10:00:00Z") })).code).toBe(0);
    expect((await probeAt(root, "2026-11-16T10:01:00Z")).state).toBe("up");
  });
});
