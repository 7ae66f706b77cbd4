/**
 * Scenario 1 of the workflow runner: a fresh repository made from this one, private, its public site on
 * GitHub Pages. probe.yml started by hand probes the example checks (against the demo's simulated
 * providers, their addresses given as repository secrets), commits, pushes and starts site.yml through the
 * API; site.yml builds, "deploys" the public artifact to Pages and uploads the operations room.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { systemClock } from "../../scripts/core/clock.ts";
import { startWorld, type DemoWorld } from "../../scripts/demo/servers.ts";
import { git } from "../../scripts/gitops/git.ts";
import { REPO } from "../helpers/workspace.ts";
import { pushEvent, workflowDispatchEvent } from "./events.ts";
import { expectCovered } from "./coverage.ts";
import { artifactFiles, routeToSinks, runDispatched } from "./helpers.ts";
import { preparedInstall } from "./install.ts";
import { loadWorkflow, runWorkflow, triggers, type WorkflowRun } from "./runner.ts";
import { createWorld, type World } from "./world.ts";

const exec = promisify(execFile);

let demo: DemoWorld;
let world: World;
let probe: WorkflowRun;
let site: WorkflowRun[];

beforeAll(async () => {
  demo = await startWorld(systemClock, new Date());
  world = await createWorld({
    secrets: demo.env,
    prepare: (tree) => routeToSinks(tree, demo),
  });
  probe = await runWorkflow(world, "probe.yml", workflowDispatchEvent(world.info, "probe.yml"));
  site = await runDispatched(world, 0);
}, 600_000);
afterAll(async () => {
  await world?.close();
  await demo?.close();
});

const step = (run: WorkflowRun, job: string, name: RegExp) => run.jobs.find((candidate) => candidate.id === job)!.steps.find((candidate) => name.test(candidate.name))!;

describe("scenario 1: a fresh repository, probe.yml by hand, then site.yml", () => {
  test("probe.yml probes every example check with the secrets it is given, commits, pushes and starts site.yml", async () => {
    expect(probe.conclusion, probe.log).toBe("success");
    const output = step(probe, "probe", /^Probe the due checks/).output;
    // The region the workflow sets is one the probe accepts (it was `github-${{ runner.os }}`, i.e. github-Linux).
    expect(output).toMatch(/^Run \d+-1 \(github-hosted\): probed 9 due checks/m);
    // probe.yml hands every ${env:NAME} the example configuration uses to the run.
    expect(output).not.toMatch(/environment variable \w+ is not set/);
    expect(output).toMatch(/^Published: committed [0-9a-f]{7} with 1 probe run and pushed\.$/m);
    expect(output).toMatch(/^Started site\.yml on main, so the sites show this commit\.$/m);
    expect(world.api.dispatches).toEqual([{ workflow: "site.yml", ref: "main" }]);
    // The commit is on the origin, by the bot, with the results under the region's folder.
    expect((await git(world.bare, ["log", "-1", "--format=%an %s", "main"])).trim()).toMatch(/^signalroom\[bot\] /);
    const files = (await git(world.bare, ["ls-tree", "-r", "--name-only", "main", "checks/"])).split("\n");
    expect(files).toEqual(expect.arrayContaining(["checks/state.json", expect.stringMatching(/^checks\/results\/github-hosted\/\d{4}-\d{2}-\d{2}\.ndjson$/)]));
  });

  test("the probe job keeps no token in its clone, and its dependencies were installed without lifecycle scripts", async () => {
    const clone = join(world.dir, "runs", String(probe.runId), "jobs/probe-0/workspace");
    expect(await readFile(join(clone, ".git/config"), "utf8")).not.toMatch(/extraheader|AUTHORIZATION/i);
    expect(step(probe, "probe", /^Install/).output).toMatch(/\(prepared: linked from /);
    // esbuild's postinstall never ran in the prepared install (its bin is still the JavaScript shim), yet the site builds below.
    expect((await readFile(join(await preparedInstall(), "node_modules/esbuild/bin/esbuild"), "utf8")).startsWith("#!/usr/bin/env node")).toBe(true);
  });

  test("site.yml builds both sites, deploys the public one to Pages and uploads the operations room as a members-only artifact", async () => {
    expect(site.map((run) => [run.workflow, run.conclusion])).toEqual([["site.yml", "success"]]);
    const [build] = site;
    expect(build!.jobs.map((job) => [job.id, job.result])).toEqual([
      ["build", "success"],
      ["pages", "success"],
      ["repository", "skipped"],
    ]);
    expect(build!.jobs[0]!.outputs).toEqual({ site: "pages", site_repository: "", site_branch: "" });
    // What Pages serves: the public site, built from the probe run's commit.
    expect(existsSync(join(world.pages, "index.html"))).toBe(true);
    expect(existsSync(join(world.pages, "api/v2/summary.json"))).toBe(true);
    const pages = await readdir(world.pages, { recursive: true });
    expect(pages.filter((file) => /internal|runbook|\/log\//.test(String(file)))).toEqual([]);
    // The room: one archive, readable by members (a private repository), holding the room's pages.
    expect(await artifactFiles(build!, "operations-room")).toEqual(["internal.tar.gz"]);
    const { stdout } = await exec("tar", ["-tzf", join(build!.artifacts, "operations-room/internal.tar.gz")]);
    expect(stdout.split("\n")).toEqual(expect.arrayContaining(["internal/index.html", "internal/log/index.html"]));
    expect(await artifactFiles(build!, "github-pages")).toEqual(["artifact.tar"]);
  });

  test("a person's push to main touching the data or the renderers (scripts/, site/) starts site.yml; docs alone or another branch do not", async () => {
    const { template } = await loadWorkflow(join(REPO, ".github/workflows/site.yml"));
    const push = (files: string[], ref = "refs/heads/main") => triggers(template, { ...pushEvent(world.info, "0".repeat(40), "1".repeat(40), files), ref });
    expect(["checks/providers/resend.yaml", "incidents/x.md", "scripts/core/plan.ts", "site/public/pages/index.astro", "package-lock.json"].map((file) => push([file]))).toEqual([true, true, true, true, true]);
    expect(push(["docs/github.md", "README.md"])).toBe(false);
    expect(push(["scripts/core/plan.ts"], "refs/heads/feature")).toBe(false);
  });
});

test("every step of our workflows this file claims (coverage.ts) ran", () => {
  expectCovered([probe, ...site], "probe-site.test.ts");
});
