/**
 * The public-repository topology in the workflow runner. Chosen explicitly (deploy.repository: public), a
 * probe run says that everything it commits is public before it commits, and the issues it opens (the
 * `github` route's and the incident mirror's) carry owner-safe text only. A repository that is public
 * although its configuration says private gets nothing committed at all.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { systemClock } from "../../scripts/core/clock.ts";
import { startWorld, type DemoWorld } from "../../scripts/demo/servers.ts";
import { git } from "../../scripts/gitops/git.ts";
import { PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { scheduleEvent } from "./events.ts";
import { databaseDownWorld } from "./helpers.ts";
import { runWorkflow } from "./runner.ts";
import type { World } from "./world.ts";

/** Workflow runs start processes, clone and build: generous on a busy machine, never a measure of speed. */
const RUN_TIMEOUT = 300_000;

let demo: DemoWorld;
const worlds: World[] = [];

/** A public repository made from this one, the database down, the mirror on; `configured` is what deploy.repository says. */
async function publicWorld(configured: "public" | "private"): Promise<World> {
  const world = await databaseDownWorld(demo, { private: false, config: { "deploy.repository": configured } });
  worlds.push(world);
  return world;
}

beforeAll(async () => {
  demo = await startWorld(systemClock, new Date());
}, 60_000);
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
  await demo?.close();
});

const probeRun = (world: World) => runWorkflow(world, "probe.yml", scheduleEvent(world.info, "4,34 * * * *", "probe.yml"));

describe("a public repository by choice", { timeout: RUN_TIMEOUT }, () => {
  test("the probe run says everything it commits is public before it commits; its issues carry owner-safe text only", async () => {
    const world = await publicWorld("public");
    const run = await probeRun(world);
    expect(run.conclusion, run.log).toBe("success");
    const output = run.jobs[0]!.steps.find((step) => /^Probe the due checks/.test(step.name))!.output;
    const notice = output.indexOf("notice: This repository is public (deploy.repository: public): what this run commits");
    expect(notice).toBeGreaterThan(-1);
    expect(notice).toBeLessThan(output.search(/^Published: committed/m));
    // The github route's issue: status, impact and times, no lead, evidence or runbook steps.
    const alert = world.api.issues.find((issue) => issue.body.includes("signalroom:alert=database-unreachable@"))!;
    expect(alert.body).toContain("- **STATUS:** Investigating");
    expect(alert.body).not.toMatch(/\*\*(LEAD|EVIDENCE):\*\*|Next steps/);
    expect(alert.body).toContain("issues here carry owner-safe text only");
    // The mirror's issue: no commander.
    const mirrored = world.api.issues.find((issue) => issue.body.includes("signalroom:incident="))!;
    expect(mirrored.body).toContain("**SEV-1**");
    expect(mirrored.body).not.toContain("**Commander:**");
  });
});

describe("a public repository whose configuration says private", { timeout: RUN_TIMEOUT }, () => {
  test("the probe run refuses before committing anything, and says why", async () => {
    const world = await publicWorld("private");
    const head = await world.head();
    const run = await probeRun(world);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toContainEqual({
      level: "error",
      file: "checks/signalroom.yaml",
      message: expect.stringMatching(/^deploy\.repository: This repository is public, but deploy\.repository in checks\/signalroom\.yaml says private: nothing was committed/),
    });
    expect(await world.head()).toBe(head);
    await expect(git(world.bare, ["rev-parse", "--verify", PENDING_BRANCH])).rejects.toThrow();
    expect(world.api.issues).toEqual([]);
  });
});
