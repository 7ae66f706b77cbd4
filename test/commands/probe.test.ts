import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { stateFile } from "../../scripts/core/schema/records.ts";
import { readSamples } from "../../scripts/store/samples.ts";
import { runCli, spawnCli } from "../helpers/cli.ts";
import { httpCheck, probeWorkspace } from "../helpers/probe-workspace.ts";
import { serveHttp, type Served } from "../helpers/servers.ts";
import { edit, tempDir } from "../helpers/workspace.ts";

/** One healthy and one failing endpoint; the failing check is confirmed down after one sample. */
async function twoTargets(): Promise<{ root: string; server: Served }> {
  const server = await serveHttp((request, response) => {
    if (request.url === "/broken") response.writeHead(503).end("down for maintenance");
    else response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  });
  const { root } = await probeWorkspace([
    httpCheck("members-health", `${server.url}/health`, { conditions: ["[BODY].status == ok"] }),
    httpCheck("members-search", `${server.url}/broken`, { failureThreshold: 1 }),
  ]);
  return { root, server };
}

const everything = (root: string) => readSamples(root, new Date(0), new Date(Date.now() + 86_400_000));

describe("npm run probe", () => {
  test("probes, writes the files and ends with a summary table; a down target still exits 0", async () => {
    const { root } = await twoTargets();
    const result = await runCli(["probe", "--root", root]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Check\s+Status\s+Latency\s+What failed$/);
    expect(lines[1]).toMatch(/^members-health\s+up \(was unknown\)\s+\d+ ms$/);
    expect(lines[2]).toMatch(/^members-search\s+down \(was unknown\)\s+\d+ ms\s+status 503, expected 2xx$/);
    expect(lines[3]).toMatch(/^Run local-[0-9a-f]{8} \(local\): probed 2 due checks in \d+\.\d s; 1 up, 0 degraded, 1 down, 0 unknown; 2 status changes\.$/);
    expect((await everything(root)).samples.map((sample) => [sample.check, sample.state])).toEqual([
      ["members-health", "up"],
      ["members-search", "down"],
    ]);
    const state = stateFile.parse(JSON.parse(await readFile(join(root, "checks/state.json"), "utf8")));
    expect(state.checks["members-search"]?.status).toBe("down");
    expect(await readdir(join(root, "checks"))).toEqual(expect.arrayContaining(["results", "rollups", "logs", "state.json"]));
  });

  test("nothing due: says so and exits 0", async () => {
    const { root } = await twoTargets();
    await runCli(["probe", "--root", root]);
    const again = await runCli(["probe", "--root", root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/probed 0 due checks/);
    expect(again.stdout).not.toMatch(/^Check/m);
  });

  test("in GitHub Actions: a job summary, an annotation per down check, the run id from the workflow", async () => {
    const { root } = await twoTargets();
    const summaryFile = join(await tempDir(), "summary.md");
    await writeFile(summaryFile, "");
    const env = { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile, GITHUB_RUN_ID: "987654", GITHUB_RUN_ATTEMPT: "3", SIGNALROOM_REGION: "github" };
    const result = await runCli(["probe", "--root", root], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^::error file=checks\/providers\/members-api\.yaml::members-search is down since \S+: status 503, expected 2xx$/m);
    expect(result.stdout).not.toMatch(/::error[^\n]*members-health/);
    const summary = await readFile(summaryFile, "utf8");
    expect(summary).toContain("### Probe run 987654-3");
    expect(summary).toContain("| Check | Status | Latency | What failed |");
    expect(summary).toMatch(/\| members-search \| 🔴 down \(was unknown\) \| \d+ ms \| status 503, expected 2xx \|/);
    expect((await everything(root)).samples.map((sample) => `${sample.region} ${sample.run}`)).toEqual(["github 987654-3", "github 987654-3"]);
  });

  test("bad configuration: located errors, exit 1, nothing probed or written", async () => {
    const { root, server } = await twoTargets();
    await edit(root, "checks/providers/members-api.yaml", "cadence: 1m", "cadence: often");
    const result = await runCli(["probe", "--root", root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^checks\/providers\/members-api\.yaml:\d+:\d+ checks\[0\]\.cadence: must be a duration/m);
    expect(result.stderr).toContain("nothing was probed or written");
    expect(server.requests).toEqual([]);
    expect(existsSync(join(root, "checks/state.json"))).toBe(false);
    expect(existsSync(join(root, "checks/results"))).toBe(false);
  });

  test("files that cannot be written: exit 1 with the reason, before anything is probed", async () => {
    const { root, server } = await twoTargets();
    await writeFile(join(root, "checks/results"), "a file where the results folder belongs");
    const result = await runCli(["probe", "--root", root], { GITHUB_ACTIONS: "true" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("checks/results is a file where a folder should be: move it away\nWhat earlier probe runs stored cannot be used (see above); nothing was probed or written.\n");
    expect(result.stdout).toMatch(/^::error file=checks\/results::is a file where a folder should be/m);
    expect(server.requests).toEqual([]);
    expect(existsSync(join(root, "checks/state.json"))).toBe(false);
  });

  test("option mistakes are explained", async () => {
    const { root } = await twoTargets();
    expect((await runCli(["probe", "--root", root, "--once", "--for", "5m"])).stderr).toMatch(/--once runs a single cycle/);
    const bad = await runCli(["probe", "--root", root, "--every", "soon"]);
    expect([bad.code, bad.stderr.trim()]).toEqual([1, '--every must be a duration such as 30s or 5m, not "soon".']);
    const region = await runCli(["probe", "--root", root], { SIGNALROOM_REGION: "EU West" });
    expect([region.code, region.stderr.trim()]).toEqual([1, 'SIGNALROOM_REGION must use lowercase letters, digits, - and _ (it names folders), not "EU West".']);
  });

  test("continuous mode runs cycle after cycle, each with its own run id", async () => {
    const server = await serveHttp((_, response) => response.writeHead(200).end("ok"));
    const { root } = await probeWorkspace([httpCheck("fast", server.url, { cadence: "1s" })]);
    const result = await runCli(["probe", "--root", root, "--for", "2s", "--every", "400ms"], { GITHUB_RUN_ID: "55", GITHUB_RUN_ATTEMPT: "1" });
    expect(result.code).toBe(0);
    const cycles = Number(/Stopped after (\d+) cycles\./.exec(result.stdout)?.[1]);
    expect(cycles).toBeGreaterThanOrEqual(3);
    const runs = (await everything(root)).samples.map((sample) => sample.run);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((run) => /^55-1\.\d+$/.test(run))).toBe(true);
    expect(new Set(runs).size).toBe(runs.length);
  });
});

/** Runs the real CLI in its own process. */
const spawnProbe = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnCli("probe", args, env);

describe("npm run probe in separate processes", () => {
  test("SIGTERM finishes the current cycle cleanly and exits 0", async () => {
    const server = await serveHttp((_, response) => setTimeout(() => response.writeHead(200).end("ok"), 300));
    const { root } = await probeWorkspace([httpCheck("slow", server.url, { cadence: "1s" })]);
    const probe = spawnProbe(["--root", root, "--for", "10m", "--every", "200ms"]);
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (server.requests.length >= 2) {
          clearInterval(wait);
          resolve();
        }
      }, 20);
    });
    probe.child.kill("SIGTERM");
    expect(await probe.done).toBe(0);
    const { stdout, stderr } = probe.output();
    expect(stderr).toContain("SIGTERM: finishing the current cycle, then stopping.");
    expect(stdout).toMatch(/Stopped after \d+ cycles?\./);
    const { samples, warnings } = await everything(root);
    expect(warnings).toEqual([]);
    expect(samples.length).toBe(server.requests.length);
    stateFile.parse(JSON.parse(await readFile(join(root, "checks/state.json"), "utf8")));
  });

  test("two probe processes at once on one folder: every sample kept, every file whole", async () => {
    const server = await serveHttp((_, response) => setTimeout(() => response.writeHead(200).end("ok"), 100));
    const { root } = await probeWorkspace(Array.from({ length: 8 }, (_, index) => httpCheck(`check-${index}`, `${server.url}/${index}`)));
    const runs = [spawnProbe(["--root", root], { GITHUB_RUN_ID: "1", GITHUB_RUN_ATTEMPT: "1" }), spawnProbe(["--root", root], { GITHUB_RUN_ID: "2", GITHUB_RUN_ATTEMPT: "1" })];
    expect(await Promise.all(runs.map((run) => run.done))).toEqual([0, 0]);
    const { samples, warnings } = await everything(root);
    expect(warnings).toEqual([]);
    expect(samples.length).toBe(server.requests.length);
    expect(samples.length).toBeGreaterThanOrEqual(8);
    const state = stateFile.parse(JSON.parse(await readFile(join(root, "checks/state.json"), "utf8")));
    expect(Object.values(state.checks).every((check) => check.status === "up")).toBe(true);
  });
});
