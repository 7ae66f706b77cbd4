import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { shardOf } from "../../scripts/core/due.ts";
import { stateFile } from "../../scripts/core/schema/records.ts";
import { git } from "../../scripts/gitops/git.ts";
import { fromResultsLine } from "../../scripts/store/samples.ts";
import { runCli, spawnCli } from "../helpers/cli.ts";
import { listFiles, originFrom, showFile, type Origin } from "../helpers/git.ts";
import { httpCheck, probeWorkspace } from "../helpers/probe-workspace.ts";
import { startRecorder, type Recorder } from "../helpers/recorder.ts";
import { serveHttp } from "../helpers/servers.ts";
import { put, tempDir } from "../helpers/workspace.ts";

const CHECKS = ["search-api", "login", "orders-api", "webhooks"];
// Three regions, so a majority exists whatever one region sees.
const REGIONS = ["ap-south", "eu-west", "us-east"];

/**
 * Four checks split over two shards, probed from three regions. The target answers per region (each region's
 * jobs reach it under their own path, as two networks would) and per check; one rule fires when any is down.
 */
async function shardedWorld(hooks: Recorder) {
  const failing = new Set<string>();
  const target = await serveHttp((request, response) => response.writeHead(failing.has(request.url ?? "") ? 503 : 200).end());
  const { root } = await probeWorkspace(
    CHECKS.map((id) => httpCheck(id, `\${env:TARGET}/${id}`, { failureThreshold: 1, recoveryThreshold: 1, cadence: "1s" })),
    { page: { title: "Test status", stale: 1000 }, routes: [{ id: "ops-hook", channel: "webhook", url: "${env:HOOK_URL}" }] },
  );
  await put(root, "checks/alert-rules.yaml", stringify({ rules: [{ id: "api-down", description: "An API is down.", severity: "high", checks: CHECKS, routes: ["ops-hook"], condition: { type: "state", state: "down", for: 1 } }] }));
  const origin = await originFrom(root);
  const env = (region: string) => ({ TARGET: `${target.url}/${region}`, HOOK_URL: `${hooks.url}/ops` });
  return { origin, failing, env };
}

/**
 * One run of probe-shards.yml: every region × shard job in its own process and checkout, then the merge job.
 * All jobs of one workflow run share its run id, as in GitHub Actions.
 */
async function round(origin: Origin, regionEnv: (region: string) => NodeJS.ProcessEnv, name: string) {
  const env = (region: string) => ({ ...regionEnv(region), GITHUB_RUN_ID: name, GITHUB_RUN_ATTEMPT: "1" });
  const artifacts = await tempDir("signalroom-shards-");
  const jobs = REGIONS.flatMap((region) =>
    [1, 2].map(async (shard) => {
      const checkout = await origin.clone(`${name}-${region}-${shard}`);
      const out = join(artifacts, `shard-${region}-${shard}`);
      const job = spawnCli("probe", ["--root", checkout, "--shard", `${shard}/2`, "--region", region, "--out", out], env(region));
      return { code: await job.done, ...job.output() };
    }),
  );
  const shards = await Promise.all(jobs);
  // The checks' 2s timeout is longer than their 1s cadence on purpose (fast rounds, no timeouts on a busy machine): validate's warning about it is expected.
  for (const shard of shards) expect([shard.code, shard.stderr.replace(/^.* checks\[\d\]\.timeout: warning: 2s is longer than the check's cadence of 1s.*\n/gm, "")]).toEqual([0, ""]);
  const merge = spawnCli("probe", ["--root", await origin.clone(`${name}-merge`), "--merge", artifacts, "--push"], env("merge"));
  return { shards, merge: { code: await merge.done, ...merge.output() } };
}

const mainState = async (origin: Origin) => stateFile.parse(JSON.parse((await showFile(origin.bare, "main", "checks/state.json"))!));

describe("sharded probing: shard jobs only probe, one merge records, alerts once", () => {
  test("matrix of regions × shards in separate processes: own files per shard, quorum across regions, one notification", async () => {
    expect(CHECKS.map((id) => shardOf(id, 2))).toEqual([1, 1, 2, 2]);
    const hooks = await startRecorder();
    const { origin, failing, env } = await shardedWorld(hooks);

    // One region cannot reach orders-api: the other two outvote it, so nothing fires.
    failing.add("/us-east/orders-api");
    const first = await round(origin, env, "501");
    expect(first.shards.map((shard) => /probed (\d) of (\d) due checks/.exec(shard.stdout)?.slice(1).join("/"))).toEqual(["2/2", "2/2", "2/2", "2/2", "2/2", "2/2"]);
    expect(first.merge.code).toBe(0);
    expect(first.merge.stdout).toMatch(/^Merging 6 shard files \(12 samples\)\.$/m);
    const writers = (await listFiles(origin.bare, "main", "checks/results/")).map((path) => path.split("/")[2]);
    expect(writers).toEqual(REGIONS.flatMap((region) => [`${region}.shard-1of2`, `${region}.shard-2of2`]));
    // The merge job's own run log, and each shard's log in its own file.
    expect((await listFiles(origin.bare, "main", "checks/logs/")).map((path) => path.split("/")[2])).toEqual([...writers.slice(0, 4), "local", ...writers.slice(4)]);
    let state = await mainState(origin);
    expect(Object.fromEntries(CHECKS.map((id) => [id, [state.checks[id]!.status, Object.keys(state.checks[id]!.regions).sort().join(",")]]))).toEqual(
      Object.fromEntries(CHECKS.map((id) => [id, ["up", REGIONS.join(",")]])),
    );
    expect(state.checks["orders-api"]!.regions["us-east"]!.status).toBe("down");
    expect(state.alerts["api-down"]).toMatchObject({ state: "ok" });
    expect(hooks.requests).toHaveLength(0);

    // Two of three agree: down; the rule fires once, for one incident and one notification.
    failing.add("/eu-west/orders-api");
    const second = await round(origin, env, "502");
    expect(second.merge.code).toBe(0);
    expect(second.merge.stdout).toMatch(/^Published: committed [0-9a-f]{7} /m);
    state = await mainState(origin);
    expect(state.checks["orders-api"]!.status).toBe("down");
    expect(state.alerts["api-down"]).toMatchObject({ state: "firing" });
    expect(hooks.requests.map((request) => (request.json() as { items: { kind: string }[] }).items.map((item) => item.kind))).toEqual([["trigger"]]);
    expect((await listFiles(origin.bare, "main", "incidents/")).filter((path) => path.endsWith(".md"))).toHaveLength(1);
    // The recorded outbox landed first; the notification went out after, and its outcome is the next commit.
    expect((await git(origin.bare, ["log", "-2", "--format=%s", "main"])).trim().split("\n")).toEqual([
      "notified ops-hook",
      expect.stringMatching(/^orders-api down; alert api-down fired; opened incident \S+-api-down$/),
    ]);
    await hooks.close();
  });
});

/** Two shard files written by in-process shard jobs at a fixed time, and a checkout to merge them into. */
async function shardFiles() {
  const target = await serveHttp((_, response) => response.writeHead(200).end());
  const { root } = await probeWorkspace(CHECKS.map((id) => httpCheck(id, `${target.url}/${id}`)));
  const origin = await originFrom(root);
  const artifacts = await tempDir("signalroom-shards-");
  const clock = manualClock("2026-11-20T10:00:00Z");
  for (const shard of [1, 2]) {
    const result = await runCli(["probe", "--root", await origin.clone(`job-${shard}`), "--shard", `${shard}/2`, "--region", "eu-west", "--out", join(artifacts, `shard-${shard}`)], {}, { clock });
    expect(result.code).toBe(0);
  }
  return { origin, artifacts, clock };
}

describe("the merge step refuses what does not fit and records each sample once", () => {
  test("a damaged shard file is a located error and nothing is recorded", async () => {
    const { origin, artifacts, clock } = await shardFiles();
    const file = join(artifacts, "shard-2", "eu-west.shard-2of2.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"state": "up"', '"state": "sideways"'));
    const checkout = await origin.clone("merge");
    const result = await runCli(["probe", "--root", checkout, "--merge", artifacts, "--push"], {}, { clock });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${artifacts}/shard-2/eu-west\\.shard-2of2\\.json:\\d+:\\d+ samples\\[0\\]\\.state: expected up \\| degraded \\| down \\| error, received "sideways"`, "m"));
    expect(result.stderr).toMatch(/1 shard file problem \(see above\); nothing was recorded\.$/m);
    expect(await git(checkout, ["status", "--porcelain"])).toBe("");
    expect(Number((await git(origin.bare, ["rev-list", "--count", "main"])).trim())).toBe(1);
  });

  test("a missing shard is a warning; the same files merged twice record every sample once", async () => {
    const { origin, artifacts, clock } = await shardFiles();
    const partial = join(await tempDir(), "partial");
    await mkdir(partial);
    await writeFile(join(partial, "eu-west.shard-1of2.json"), await readFile(join(artifacts, "shard-1", "eu-west.shard-1of2.json")));
    const checkout = await origin.clone("merge");
    const once = await runCli(["probe", "--root", checkout, "--merge", partial, "--push"], {}, { clock });
    expect(once.code).toBe(0);
    expect(once.stderr).toBe("warning: No findings from eu-west shard 2 of 2: its checks were not probed this round.\n");
    // A re-run of the merge job (same artifacts) adds nothing.
    const again = await runCli(["probe", "--root", checkout, "--merge", partial, "--push"], {}, { clock });
    expect(again.code).toBe(0);
    const day = (await listFiles(origin.bare, "main", "checks/results/eu-west.shard-1of2/"))[0]!;
    const samples = (await showFile(origin.bare, "main", day))!.split("\n").filter(Boolean).flatMap((line) => fromResultsLine(JSON.parse(line)));
    expect(samples.map((sample) => sample.check).sort()).toEqual(["login", "search-api"]);
  });

  test("a shard job chooses its due checks by the newest state, results waiting on the pending ref included, and leaves its checkout as it was", async () => {
    const { origin, artifacts, clock } = await shardFiles();
    await runCli(["probe", "--root", await origin.clone("merge-1"), "--merge", artifacts, "--push"], {}, { clock });
    const later = manualClock("2026-11-20T10:01:00Z");
    const next = join(await tempDir(), "next");
    for (const shard of [1, 2]) await runCli(["probe", "--root", await origin.clone(`next-${shard}`), "--shard", `${shard}/2`, "--region", "eu-west", "--out", next], {}, { clock: later });
    const plain = await runCli(["probe", "--root", await origin.clone("merge-2"), "--merge", next, "--push"], {}, { clock: later });
    expect(plain.stdout).toMatch(/^Published: waiting on the pending ref/m);
    // main says 10:00, the pending ref 10:01: at 10:01:40 nothing is due.
    const checkout = await origin.clone("job-3");
    const result = await runCli(["probe", "--root", checkout, "--shard", "1/2", "--region", "eu-west", "--out", join(await tempDir(), "third")], {}, { clock: manualClock("2026-11-20T10:01:40Z") });
    expect(result.stdout).toMatch(/probed 0 of 0 due checks/);
    expect(await git(checkout, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
  });

  test("two files for one shard, or a shard job asked to record itself, are refused with what to do", async () => {
    const { origin, artifacts, clock } = await shardFiles();
    await writeFile(join(artifacts, "copy.json"), await readFile(join(artifacts, "shard-1", "eu-west.shard-1of2.json")));
    const twice = await runCli(["probe", "--root", await origin.clone("merge"), "--merge", artifacts], {}, { clock });
    expect([twice.code, twice.stderr.trim()]).toEqual([1, `The shard files cannot be merged: eu-west shard 1 of 2 is in two files: ${artifacts}/copy.json and ${artifacts}/shard-1/eu-west.shard-1of2.json. Nothing was recorded.`]);
    const alone = await runCli(["probe", "--root", await origin.clone("alone"), "--shard", "1/2"]);
    expect([alone.code, alone.stderr.trim()]).toEqual([
      1,
      "A shard job only probes its part of the checks; alerting runs once when the shards are merged. Write its findings with --out DIR, then record them with --merge DIR.",
    ]);
  });
});
