/**
 * The private topology with the public site in a separate public repository: a canary planted in every
 * internal field of the private repository (providers, checks, routes, rules, incidents, state, samples,
 * run log) never appears anywhere in the public repository: not in its files, its history, or any
 * object it holds, in the clear or base64-encoded. site.yml runs twice; the public repository keeps one
 * commit, the current build.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeExampleHistory } from "../../scripts/bench/status-world.ts";
import { git } from "../../scripts/gitops/git.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { NOW, plantCanaries, SECRET_ENV } from "../public-site/fixtures.ts";
import { workflowDispatchEvent } from "./events.ts";
import { artifactFiles, configure, everyObject, leaks } from "./helpers.ts";
import { runWorkflow, type WorkflowRun } from "./runner.ts";
import { createWorld, type World } from "./world.ts";

const PUBLIC = "acme/status-site";
const PHRASES = ["Canary internal narrative", "Canary evidence note", "Canary error text", "Canary run log message"];

let world: World;
let publicRepo: string;
let runs: WorkflowRun[];

beforeAll(async () => {
  world = await createWorld({
    secrets: SECRET_ENV,
    prepare: async (tree) => {
      const { workspace, problems } = await loadWorkspace(tree);
      if (!workspace) throw new Error(problems.map((problem) => problem.message).join("\n"));
      await writeExampleHistory(tree, NOW, workspace.providers);
      await plantCanaries(tree);
      await configure(tree, { "deploy.site": { to: "repository", repository: PUBLIC, branch: "gh-pages" } });
    },
  });
  publicRepo = await world.createRepository(PUBLIC, { private: false });
  // A token that may push to the public repository and nothing else, as the README says to create it.
  world.secrets.PUBLIC_SITE_TOKEN = world.mint({ [PUBLIC]: { contents: "write" } });
  runs = [];
  for (let i = 0; i < 2; i++) runs.push(await runWorkflow(world, "site.yml", workflowDispatchEvent(world.info, "site.yml")));
}, 600_000);
afterAll(() => world?.close());

describe("private repository, public site pushed to a separate public repository", () => {
  test("site.yml builds and pushes the public site to the public repository's branch, one commit replaced by every build", async () => {
    for (const run of runs) {
      expect(run.conclusion, run.log).toBe("success");
      expect(run.jobs.map((job) => [job.id, job.result])).toEqual([
        ["build", "success"],
        ["pages", "skipped"],
        ["repository", "success"],
      ]);
    }
    expect(runs[0]!.jobs[0]!.outputs).toEqual({ site: "repository", site_repository: PUBLIC, site_branch: "gh-pages" });
    expect((await git(publicRepo, ["log", "--format=%an: %s", "gh-pages"])).trim().split("\n")).toEqual(["github-actions[bot]: Publish the status page"]);
    const files = (await git(publicRepo, ["ls-tree", "-r", "--name-only", "gh-pages"])).split("\n");
    expect(files).toEqual(expect.arrayContaining([".nojekyll", "index.html", "api/v2/summary.json", "history.atom"]));
    // The built site only: no source file of the private repository.
    expect(files.filter((file) => /^(checks|scripts|site|\.github)\/|\.(md|ya?ml|ndjson|ts)$/.test(file))).toEqual([]);
  });

  test("no canary of any internal field, in any object of the public repository, in the clear or base64", async () => {
    // The canaries are really in the private repository, in its files.
    const origin = await everyObject(world.bare);
    expect(new Set(leaks(origin, "canary", []).map((text) => text.toLowerCase().slice(0, 14))).size).toBeGreaterThanOrEqual(10);
    expect(leaks(origin, "canary", PHRASES).filter((text) => text.startsWith("base64"))).toEqual([]);
    expect(leaks(await everyObject(publicRepo), "canary", PHRASES)).toEqual([]);
    // Nor the secrets the repository holds.
    const published = await everyObject(publicRepo);
    for (const secret of [...Object.values(SECRET_ENV), world.secrets.PUBLIC_SITE_TOKEN!]) expect(published).not.toContain(secret);
  });

  test("the public-site artifact, what a static host's upload step takes (deploy.site.to: host), is the built site without a canary", async () => {
    const files = await artifactFiles(runs[0]!, "public-site");
    expect(files).toEqual(expect.arrayContaining(["index.html", "api/v2/summary.json"]));
    const bytes = (await Promise.all(files.map((file) => readFile(join(runs[0]!.artifacts, "public-site", file), "latin1")))).join("\n");
    expect(leaks(bytes, "canary", PHRASES)).toEqual([]);
  });

  test("the operations room stays a members-only artifact of the private repository", async () => {
    expect((await readFile(join(runs[1]!.artifacts, "operations-room/internal.tar.gz"))).length).toBeGreaterThan(1000);
  });
});
