/**
 * Scenarios 2–5 of the workflow runner, in one private repository made from this one, in the order a new
 * repository meets them: the watchdog finds no landed run and opens its issue; keep-alive re-enables the
 * schedules; a pull request with a broken file fails validation with annotations; a heartbeat arrives by
 * repository_dispatch; a scheduled probe run finds the database down (its check confirms an outage in one
 * run, as the example configures it) and opens an incident, which the
 * issue mirror opens and records; `/ack` and `/update` on that issue are recorded, the same commands on an
 * issue someone else opened with the marker pasted in are ignored; the watchdog closes its issue; the
 * sharded probe runs its matrix and merges.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { systemClock } from "../../scripts/core/clock.ts";
import { startWorld, type DemoWorld } from "../../scripts/demo/servers.ts";
import { git } from "../../scripts/gitops/git.ts";
import { PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { edit, REPO } from "../helpers/workspace.ts";
import { issueCommentEvent, pullRequestEvent, repositoryDispatchEvent, scheduleEvent, workflowDispatchEvent, type WorkflowEvent } from "./events.ts";
import { expectCovered } from "./coverage.ts";
import { databaseDownWorld } from "./helpers.ts";
import { loadWorkflow, runWorkflow, triggers, type WorkflowRun } from "./runner.ts";
import type { World } from "./world.ts";

/** Workflow runs start processes, clone and build: generous on a busy machine, never a measure of speed. */
const RUN_TIMEOUT = 300_000;

let demo: DemoWorld;
let world: World;
const runs: WorkflowRun[] = [];
/** Runs a workflow for an event, and keeps the run for the coverage check at the end. */
const start = async (file: string, event: WorkflowEvent): Promise<WorkflowRun> => {
  const run = await runWorkflow(world, file, event);
  runs.push(run);
  return run;
};

beforeAll(async () => {
  demo = await startWorld(systemClock, new Date());
  world = await databaseDownWorld(demo);
  world.api.collaborators.alice = "write";
}, 300_000);
afterAll(async () => {
  await world?.close();
  await demo?.close();
});

const stepOf = (run: WorkflowRun, name: RegExp) => run.jobs.flatMap((job) => job.steps).find((step) => name.test(step.name));
const log = (run: WorkflowRun) => `${run.workflow}:\n${run.log}`;
let incidentIssue = 0;
let incidentFile = "";

describe("scenario 5a: the watchdog and keep-alive on a new repository", { timeout: RUN_TIMEOUT }, () => {
  test("watchdog.yml with no landed run opens its issue and starts site.yml", async () => {
    const run = await start("watchdog.yml", scheduleEvent(world.info, "7 */3 * * *", "watchdog.yml"));
    expect(run.conclusion, log(run)).toBe("success");
    expect(stepOf(run, /^Check that probe runs land/)!.output).toMatch(/^✗ No probe run has landed yet/m);
    const issue = world.api.issues.find((candidate) => candidate.labels.includes("signalroom-watchdog"))!;
    expect(issue).toMatchObject({ title: "Probe runs have stopped landing", state: "open" });
    expect(world.api.dispatches).toEqual([{ workflow: "site.yml", ref: "main" }]);
    // The step outputs a later step could read.
    expect(stepOf(run, /^Check that probe runs land/)!.outputs.stale).toBe("true");
  });

  test("keep-alive.yml re-enables the scheduled workflows through the REST API, without a checkout", async () => {
    const run = await start("keep-alive.yml", scheduleEvent(world.info, "17 4 * * 1", "keep-alive.yml"));
    expect(run.conclusion, log(run)).toBe("success");
    expect(world.api.enabled).toEqual(["probe.yml", "watchdog.yml", "keep-alive.yml"]);
  });
});

describe("scenario 4: a pull request with a broken file", { timeout: RUN_TIMEOUT }, () => {
  test("validate.yml fails and prints GitHub annotations on the file and line; the test suite does not start", async () => {
    const contributor = await world.clone("contributor");
    await edit(contributor, "checks/providers/resend.yaml", /^lane: messaging$/m, "lane: mesaging");
    await git(contributor, ["commit", "--quiet", "-am", "Move resend"]);
    const head = (await git(contributor, ["rev-parse", "HEAD"])).trim();
    await git(contributor, ["push", "--quiet", "origin", "HEAD:refs/heads/move-resend", "HEAD:refs/pull/7/merge"]);
    const base = await world.head();
    const run = await start("validate.yml", pullRequestEvent(world.info, 7, { ref: "move-resend", sha: head }, { ref: "main", sha: base }, head));
    expect(run.conclusion).toBe("failure");
    expect(run.jobs.map((job) => [job.id, job.result])).toEqual([
      ["validate", "failure"],
      ["test", "skipped"],
    ]);
    const line = (await readFile(join(world.dir, "runs", String(run.runId), "jobs/validate-0/workspace/checks/providers/resend.yaml"), "utf8")).split("\n").findIndex((text) => text === "lane: mesaging") + 1;
    expect(run.annotations).toContainEqual({ level: "error", file: "checks/providers/resend.yaml", line, message: expect.stringMatching(/^lane: unknown lane "mesaging"/) });
  });
});

describe("scenario 2: a heartbeat by repository_dispatch", { timeout: RUN_TIMEOUT }, () => {
  test("heartbeat.yml records the beat and publishes it on the pending ref", async () => {
    const run = await start("heartbeat.yml", repositoryDispatchEvent(world.info, "heartbeat", { check: "ai-log-heartbeat" }));
    expect(run.conclusion, log(run)).toBe("success");
    expect(stepOf(run, /^Record the heartbeat/)!.output).toMatch(/✓ heartbeat of ai-log-heartbeat recorded at .*\n\s+published on the pending ref/);
    const waiting = await git(world.bare, ["ls-tree", "-r", "--name-only", PENDING_BRANCH, "runs/"]);
    expect(waiting).toMatch(/heartbeat-ai-log-heartbeat\.json/);
  });

  test("a payload that is not a check id stops the job before anything runs", async () => {
    const run = await start("heartbeat.yml", repositoryDispatchEvent(world.info, "heartbeat", { check: "$(touch /tmp/pwned)" }));
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toContainEqual({ level: "error", message: "client_payload.check must be a check id, got '$(touch /tmp/pwned)'" });
    expect(run.jobs[0]!.steps.slice(1).map((step) => step.outcome)).toEqual(["skipped", "skipped", "skipped", "skipped"]);
  });

  test("repository_dispatch of another type starts nothing: a `probe` dispatch starts probe.yml, not heartbeat.yml", async () => {
    expect((await start("heartbeat.yml", repositoryDispatchEvent(world.info, "probe", {}))).triggered).toBe(false);
    const { template } = await loadWorkflow(join(REPO, ".github/workflows/probe.yml"));
    expect(triggers(template, repositoryDispatchEvent(world.info, "probe", {}))).toBe(true);
    expect(triggers(template, repositoryDispatchEvent(world.info, "heartbeat", { check: "ai-log-heartbeat" }))).toBe(false);
  });
});

describe("scenario 3: the incident mirror and its comment commands", { timeout: RUN_TIMEOUT }, () => {
  test("a scheduled probe run finds the database down, opens an incident, and the mirror opens its issue and records it", async () => {
    const run = await start("probe.yml", scheduleEvent(world.info, "4,34 * * * *", "probe.yml"));
    expect(run.conclusion, log(run)).toBe("success");
    const output = stepOf(run, /^Probe the due checks/)!.output;
    const opened = /^Issue mirror: #(\d+) opened for (\S+)$/m.exec(output);
    expect(opened, output).not.toBeNull();
    incidentIssue = Number(opened![1]);
    incidentFile = `incidents/${opened![2]}.md`;
    expect(output).toMatch(new RegExp(`^Issue mirror: recorded #${incidentIssue} in ${incidentFile} \\(commit [0-9a-f]{7}\\)\\.$`, "m"));
    expect(await git(world.bare, ["show", `main:${incidentFile}`])).toMatch(new RegExp(`^issue: ${incidentIssue}$`, "m"));
    // The github route opened the alert's own issue; in a private repository with internal fields.
    const alert = world.api.issues.find((issue) => issue.body.includes("signalroom:alert=database-unreachable@"))!;
    expect(alert.body).toContain("- **LEAD:**");
  });

  test("/ack and /update by someone who may push are recorded, committed and answered; the site is started", async () => {
    const dispatches = world.api.dispatches.length;
    const ack = await start("incident-comment.yml", issueCommentEvent(world.info, world.api.personComments(incidentIssue, "/ack", "alice", "COLLABORATOR")));
    expect(ack.conclusion, log(ack)).toBe("success");
    expect((await git(world.bare, ["log", "-1", "--format=%s", "main"])).trim()).toMatch(new RegExp(`^Acknowledge incident .+ \\(@alice on #${incidentIssue}\\)$`));
    expect(await git(world.bare, ["show", `main:${incidentFile}`])).toMatch(/^commander: alice$/m);
    const update = await start("incident-comment.yml", issueCommentEvent(world.info, world.api.personComments(incidentIssue, "/update We are failing over to the replica.", "alice", "COLLABORATOR")));
    expect(update.conclusion, log(update)).toBe("success");
    expect(await git(world.bare, ["show", `main:${incidentFile}`])).toContain("We are failing over to the replica.");
    const replies = world.api.issues.find((issue) => issue.number === incidentIssue)!.comments.map((comment) => comment.body.split("\n")[0]);
    expect(replies).toEqual(expect.arrayContaining([expect.stringMatching(/^✓ Acknowledged by @alice; recorded in/), expect.stringMatching(/^✓ Public update from @alice recorded in/)]));
    expect(world.api.dispatches.slice(dispatches)).toEqual([
      { workflow: "site.yml", ref: "main" },
      { workflow: "site.yml", ref: "main" },
    ]);
  });

  test("the same commands on an issue the mirror did not open are ignored, even with the marker pasted in; a stranger's comment starts no job", async () => {
    const head = await world.head();
    const original = world.api.issues.find((issue) => issue.number === incidentIssue)!;
    const pasted = world.api.personOpens(original.title, original.body, "mallory");
    const elsewhere = await start("incident-comment.yml", issueCommentEvent(world.info, world.api.personComments(pasted, "/update All clear, nothing to see.", "alice", "COLLABORATOR")));
    // The job starts (the body has the marker) and the command refuses: nothing recorded, nothing answered.
    expect(elsewhere.conclusion, log(elsewhere)).toBe("success");
    expect(stepOf(elsewhere, /^Record the command/)!.output).toMatch(new RegExp(`^Issue #${pasted} is not an issue the incident mirror opened`, "m"));
    expect(await world.head()).toBe(head);
    expect(world.api.issues.find((issue) => issue.number === pasted)!.comments).toHaveLength(1);
    const stranger = await start("incident-comment.yml", issueCommentEvent(world.info, world.api.personComments(incidentIssue, "/update Fixed!", "mallory", "NONE")));
    expect(stranger.jobs.map((job) => job.result)).toEqual(["skipped"]);
    expect(await world.head()).toBe(head);
  });
});

describe("scenario 5b: the watchdog once runs land, and the sharded probe", { timeout: RUN_TIMEOUT }, () => {
  test("watchdog.yml closes its issue once probe runs land again", async () => {
    const run = await start("watchdog.yml", workflowDispatchEvent(world.info, "watchdog.yml"));
    expect(run.conclusion, log(run)).toBe("success");
    expect(stepOf(run, /^Check that probe runs land/)!.output).toMatch(/^✓ Probe runs are landing again/m);
    expect(world.api.issues.find((candidate) => candidate.labels.includes("signalroom-watchdog"))).toMatchObject({ state: "closed" });
  });

  test("probe-shards.yml: a matrix of 4 shards × 3 regions, each probing its part, then one merge that records them all", async () => {
    const run = await start("probe-shards.yml", workflowDispatchEvent(world.info, "probe-shards.yml"));
    expect(run.conclusion, log(run)).toBe("success");
    const shards = run.jobs.filter((job) => job.id === "probe");
    expect(shards).toHaveLength(12);
    expect(new Set(shards.map((job) => JSON.stringify(job.runsOn)))).toEqual(new Set(["eu-west", "us-east", "ap-southeast"].map((region) => JSON.stringify(["self-hosted", region]))));
    expect(shards.every((job) => job.result === "success" && job.permissions.contents === "read")).toBe(true);
    const merge = stepOf(run, /^Record every shard/)!.output;
    expect(merge).toMatch(/^Merging 12 shard files/m);
    expect(merge).toMatch(/^Published: /m);
  });
});

test("every step of our workflows this file claims (coverage.ts) ran", () => {
  expectCovered(runs, "operations.test.ts");
});
