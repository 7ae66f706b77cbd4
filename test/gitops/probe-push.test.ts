import { chmod, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { stateFile } from "../../scripts/core/schema/records.ts";
import { git } from "../../scripts/gitops/git.ts";
import { fetchPending, PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { appendSamples, fromResultsLine } from "../../scripts/store/samples.ts";
import { runCli } from "../helpers/cli.ts";
import { listFiles, showFile } from "../helpers/git.ts";
import { CHECK, outageWorld, RULE } from "../helpers/outage.ts";
import { startRecorder } from "../helpers/recorder.ts";
import { tempDir } from "../helpers/workspace.ts";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const MIN = 60_000;
const at = (minutes: number) => manualClock(new Date(T0 + minutes * MIN).toISOString());
const DAY_FILE = "checks/results/local/2026-11-20.ndjson";

const subjects = async (bare: string) => (await git(bare, ["log", "--format=%s", "main"])).trim().split("\n");
const samplesOn = async (bare: string, ref: string) =>
  ((await showFile(bare, ref, DAY_FILE)) ?? "")
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => fromResultsLine(JSON.parse(line)))
    .map((sample) => `${sample.at.slice(11, 16)} ${sample.state}`);

/** A pre-receive hook that refuses every push to main, like a protected branch the bot may not push to. */
async function protectMain(bare: string): Promise<() => Promise<void>> {
  const hook = join(bare, "hooks", "pre-receive");
  await writeFile(hook, '#!/bin/sh\nwhile read old new ref; do [ "$ref" = "refs/heads/main" ] && { echo "main is protected" >&2; exit 1; }; done\nexit 0\n');
  await chmod(hook, 0o755);
  return () => rename(hook, `${hook}.off`);
}

describe("npm run probe -- --push", () => {
  test("plain runs wait on the pending ref; a state change is committed at once with a headline for people", async () => {
    const { origin, target } = await outageWorld();
    const job = await origin.clone("job");
    const first = await runCli(["probe", "--root", job, "--push"], {}, { clock: at(0) });
    expect(first.stdout).toMatch(/^Published: committed [0-9a-f]{7} with 1 probe run and pushed\.$/m);
    const plain = await runCli(["probe", "--root", job, "--push"], {}, { clock: at(1) });
    expect(plain.stdout).toMatch(/^Published: waiting on the pending ref with 1 probe run; /m);
    expect(await git(job, ["status", "--porcelain"])).toBe("");
    expect((await fetchPending(job, "origin")).runs.map((run) => run.run)).toHaveLength(1);

    target.healthy = false;
    const down = await runCli(["probe", "--root", job, "--push"], {}, { clock: at(2) });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^Published: committed [0-9a-f]{7} with 2 probe runs and pushed\.$/m);
    const message = (await git(origin.bare, ["log", "-1", "--format=%B", "main"])).trim();
    expect(message).toBe(
      `${CHECK} down; alert ${RULE} fired; opened incident 2026-11-20-1002-${RULE}\n\nAlso records the batched results of 2 probe runs (2026-11-20 10:01–10:02 UTC).`,
    );
    expect(await subjects(origin.bare)).toEqual([message.split("\n")[0], `${CHECK} up`, "Seed the workspace"]);
    expect(await samplesOn(origin.bare, "main")).toEqual(["10:00 up", "10:01 up", "10:02 down"]);
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toEqual([]);
    expect(await listFiles(origin.bare, "main", "incidents/")).toContain(`incidents/2026-11-20-1002-${RULE}.md`);
    // Only what the runs wrote was staged: the lock folder and nothing else stray.
    expect((await listFiles(origin.bare, "main", "checks/")).filter((path) => path.includes(".probe.lock"))).toEqual([]);
  });

  test("a fresh job chooses the due checks by the newest state, results waiting on the pending ref included", async () => {
    const { origin } = await outageWorld();
    await runCli(["probe", "--root", await origin.clone("a"), "--push"], {}, { clock: at(0) });
    await runCli(["probe", "--root", await origin.clone("b"), "--push"], {}, { clock: at(1) });
    // main still says the check was probed at 10:00; the pending ref says 10:01, so at 10:01:40 nothing is due.
    const fresh = await runCli(["probe", "--root", await origin.clone("c"), "--push"], {}, { clock: manualClock(new Date(T0 + 100_000).toISOString()) });
    expect(fresh.stdout).toMatch(/probed 0 due checks/);
    expect(fresh.stdout).toMatch(/^Published: waiting on the pending ref with 2 probe runs;/m);
  });

  test("a push that loses a race is recorded again on the winner's tree; the notification goes out once, after its outbox landed", async () => {
    let other = "";
    const hooks = await startRecorder();
    // While the job probes, another job of the same region lands a result in the same file.
    const { origin, target } = await outageWorld({
      config: { routes: [{ id: "ops-hook", channel: "webhook", url: "${env:HOOK_URL}" }] },
      rule: { routes: ["ops-hook"] },
      onProbe: async () => {
        if (!other) return;
        const clone = other;
        other = "";
        await appendSamples(clone, [{ at: new Date(T0 + 90_000).toISOString(), check: CHECK, region: "local", run: "other-job", state: "down", status: 503 }]);
        await git(clone, ["add", "--", DAY_FILE]);
        await git(clone, ["commit", "--quiet", "-m", "Results of another job"]);
        await git(clone, ["push", "--quiet", "origin", "HEAD:main"]);
      },
    });
    await runCli(["probe", "--root", await origin.clone("warm-up"), "--push"], {}, { clock: at(0) });
    other = await origin.clone("other");
    target.healthy = false;
    const run = await runCli(["probe", "--root", await origin.clone("job"), "--push"], { HOOK_URL: `${hooks.url}/ops` }, { clock: at(2) });
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^Published: committed [0-9a-f]{7} with 1 probe run and pushed after [2-6] attempts \(re-applied on the newer remote\)\.$/m);
    expect(hooks.requests).toHaveLength(1);
    // The winner's sample came first, so the outage (and its incident) starts at 10:01:30.
    expect(await samplesOn(origin.bare, "main")).toEqual(["10:00 up", "10:01 down", "10:02 down"]);
    const state = stateFile.parse(JSON.parse((await showFile(origin.bare, "main", "checks/state.json"))!));
    expect(state.outbox.map((entry) => [entry.route, entry.status, entry.attempts])).toEqual([["ops-hook", "sent", 1]]);
    expect(state.alerts[RULE]).toMatchObject({ state: "firing", incident: `2026-11-20-1001-${RULE}` });
    expect((await listFiles(origin.bare, "main", "incidents/")).filter((path) => path.endsWith(".md"))).toEqual([`incidents/2026-11-20-1001-${RULE}.md`]);
    // The outbox reached the remote before anything was sent; the delivery's outcome is a commit of its own.
    expect((await subjects(origin.bare)).slice(0, 2)).toEqual(["notified ops-hook", `${CHECK} down; alert ${RULE} fired; opened incident 2026-11-20-1001-${RULE}`]);
    await hooks.close();
  });

  test("a delivery whose push loses a race is recorded again on the winner's state: nothing is sent twice, the winner's change is kept", async () => {
    let other = "";
    // While the job delivers, an operator acknowledges the alert from another clone and pushes checks/state.json.
    const hooks = await startRecorder("127.0.0.1", async () => {
      if (!other) return;
      const clone = other;
      other = "";
      await git(clone, ["pull", "--quiet", "origin", "main"]);
      expect((await runCli(["alert", "ack", RULE, "--by", "carol", "--root", clone], {}, { clock: at(2) })).code).toBe(0);
      await git(clone, ["commit", "--quiet", "-am", "Acknowledge"]);
      await git(clone, ["push", "--quiet", "origin", "HEAD:main"]);
    });
    const { origin, target } = await outageWorld({
      config: { routes: [{ id: "ops-hook", channel: "webhook", url: "${env:HOOK_URL}" }] },
      rule: { routes: ["ops-hook"], incident: false },
    });
    await runCli(["probe", "--root", await origin.clone("warm-up"), "--push"], {}, { clock: at(0) });
    other = await origin.clone("operator");
    target.healthy = false;
    const run = await runCli(["probe", "--root", await origin.clone("job"), "--push"], { HOOK_URL: `${hooks.url}/ops` }, { clock: at(1) });
    expect(run.code).toBe(0);
    expect(hooks.requests).toHaveLength(1);
    const state = stateFile.parse(JSON.parse((await showFile(origin.bare, "main", "checks/state.json"))!));
    expect(state.alerts[RULE]).toMatchObject({ state: "firing", acknowledgedBy: "carol" });
    // The trigger is recorded as sent once; the acknowledgement the operator queued waits for the next run.
    expect(state.outbox.map((entry) => [entry.items[0]!.kind, entry.status, entry.attempts])).toEqual([
      ["trigger", "sent", 1],
      ["acknowledge", "pending", 0],
    ]);
    await hooks.close();
  });

  test("when main refuses the push, the results wait on the pending ref marked urgent; the next run commits them at once", async () => {
    const { origin, target } = await outageWorld();
    await runCli(["probe", "--root", await origin.clone("warm-up"), "--push"], {}, { clock: at(0) });
    const unprotect = await protectMain(origin.bare);
    target.healthy = false;
    const refused = await runCli(["probe", "--root", await origin.clone("refused"), "--push"], {}, { clock: at(1) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^✗ Could not push to origin\/main after 6 attempts; the run's results wait on the pending ref and the next run commits them\.$/m);
    const waiting = await fetchPending(await origin.clone("look"), "origin");
    expect(waiting.runs.map((run) => [run.urgent, Object.keys(run.snapshots).some((path) => path.startsWith("incidents/"))])).toEqual([[true, true]]);

    await unprotect();
    const next = await runCli(["probe", "--root", await origin.clone("next"), "--push"], {}, { clock: at(2) });
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^Published: committed [0-9a-f]{7} with 2 probe runs and pushed\.$/m);
    expect(await samplesOn(origin.bare, "main")).toEqual(["10:00 up", "10:01 down", "10:02 down"]);
    expect(await listFiles(origin.bare, "main", "incidents/")).toContain(`incidents/2026-11-20-1001-${RULE}.md`);
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toEqual([]);
  });

  test("when the remote cannot be reached at all, the results stay in the clone and its next run publishes them", async () => {
    const { origin, target } = await outageWorld();
    const job = await origin.clone("job");
    await runCli(["probe", "--root", job, "--push"], {}, { clock: at(0) });
    await rename(origin.bare, `${origin.bare}.away`);
    target.healthy = false;
    const offline = await runCli(["probe", "--root", job, "--push"], {}, { clock: at(1) });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/the remote could not be reached\), and the pending ref could not be reached either; the run's results are kept in \S+signalroom\/unpublished\/\S+\.json and the next run from this clone publishes them\./);
    expect(await git(job, ["status", "--porcelain"])).toBe("");
    const spool = join(job, ".git", "signalroom", "unpublished");
    expect(await readdir(spool)).toHaveLength(1);

    await rename(`${origin.bare}.away`, origin.bare);
    const back = await runCli(["probe", "--root", job, "--push"], {}, { clock: at(2) });
    expect(back.code).toBe(0);
    expect(await samplesOn(origin.bare, "main")).toEqual(["10:00 up", "10:01 down", "10:02 down"]);
    expect(await readdir(spool)).toEqual([]);
    expect(await listFiles(origin.bare, "main", "incidents/")).toContain(`incidents/2026-11-20-1001-${RULE}.md`);
  });

  test("continuous mode publishes every cycle; nothing is lost and the tree stays clean", async () => {
    const { origin } = await outageWorld({ check: { cadence: "1s" } });
    const job = await origin.clone("job");
    const result = await runCli(["probe", "--root", job, "--push", "--for", "1500ms", "--every", "300ms"], { GITHUB_RUN_ID: "77", GITHUB_RUN_ATTEMPT: "1" });
    expect(result.code).toBe(0);
    const cycles = Number(/Stopped after (\d+) cycles\./.exec(result.stdout)?.[1]);
    expect(result.stdout.match(/^Published: /gm)).toHaveLength(cycles);
    expect(await git(job, ["status", "--porcelain"])).toBe("");
    // Every cycle that probed left its line on main or on the pending ref, once.
    const probed = result.stdout.match(/probed 1 due check/g)?.length ?? 0;
    expect(probed).toBeGreaterThanOrEqual(1);
    const check = await origin.clone("check");
    const onMain = await Promise.all((await listFiles(origin.bare, "main", "checks/results/")).map(async (path) => (await showFile(origin.bare, "main", path))!));
    const waiting = (await fetchPending(check, "origin")).runs.flatMap((run) => Object.entries(run.appends).filter(([path]) => path.startsWith("checks/results/")).flatMap(([, lines]) => lines));
    const runs = [...onMain.join("").split("\n"), ...waiting].filter(Boolean).map((line) => JSON.parse(line).run as string);
    expect(runs).toHaveLength(probed);
    expect(new Set(runs).size).toBe(probed);
    expect(runs.every((run) => /^77-1\.\d+$/.test(run))).toBe(true);
  });

  test("--push needs the top of a git checkout with a remote", async () => {
    const dir = await tempDir();
    const result = await runCli(["probe", "--root", dir, "--push"]);
    expect([result.code, result.stderr.trim()]).toEqual([1, `--push needs --root to be a git checkout (${dir} is not one).`]);
  });
});
