/**
 * `npm run plan`: the topology, what is public, each workflow's runs, Actions minutes as GitHub bills them
 * (each job rounded up to whole minutes), commits and site builds a day, and the detection delay from the
 * detection model, for the example configuration and for the other topologies.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runsPerDay } from "../../scripts/core/cron.ts";
import { configFile } from "../../scripts/schemas.ts";
import { jobSeconds, planTopology, type Detect, type WorkflowModel } from "../../scripts/core/plan.ts";
import { readWorkflows } from "../../scripts/store/workflows.ts";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace, REPO, tempDir } from "../helpers/workspace.ts";
import { configure } from "../workflows/helpers.ts";

type Plan = ReturnType<typeof planTopology>;

/** The example workspace with edits to checks/signalroom.yaml and to probe.yml, planned through the CLI. */
async function plan(config: Record<string, unknown> = {}, probe?: (text: string) => string): Promise<Plan> {
  const root = await exampleWorkspace();
  await configure(root, config);
  await mkdir(join(root, ".github/workflows"), { recursive: true });
  for (const workflow of ["probe.yml", "site.yml", "watchdog.yml", "keep-alive.yml", "heartbeat.yml", "incident-comment.yml", "validate.yml", "probe-shards.yml"]) {
    const text = await readFile(join(REPO, ".github/workflows", workflow), "utf8");
    await writeFile(join(root, ".github/workflows", workflow), workflow === "probe.yml" && probe ? probe(text) : text);
  }
  const result = await runCli(["plan", "--root", root, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Plan;
}

const minutesOf = (result: Plan, file: string) => result.workflows.find((workflow) => workflow.file === file)!;
const continuous = (text: string) => text.replace('"4,34 * * * *"', '"2-59/5 * * * *"').replace("npm run probe -- --push", "npm run probe -- --for 5m --every 30s --push");

describe("npm run plan", () => {
  test("the example configuration: the recommended private setup fits 3,000 minutes a month, with the keys the issue names", async () => {
    const result = await plan();
    expect(Object.keys(result)).toEqual(expect.arrayContaining(["topology", "actions_minutes_per_month", "commits_per_day", "site_builds_per_day", "detection_p50_s", "public_paths", "workflows"]));
    expect(result.topology).toEqual({ repository: "private", site: "pages", probing: "github-hosted", heartbeats: "push", issues: "internal" });
    expect(minutesOf(result, "probe.yml")).toMatchObject({ runs_per_day: 48, jobs: [{ id: "probe", runner: "github-hosted", billed_minutes: 1 }], minutes_per_month: 1440 });
    // Built after each commit: 8 batches a day (commit.sampleBatch 3h); build and the Pages job, billed apart.
    expect(minutesOf(result, "site.yml")).toMatchObject({ runs_per_day: 8, jobs: [{ id: "build", billed_minutes: 2 }, { id: "pages", billed_minutes: 1 }], minutes_per_month: 720 });
    expect(minutesOf(result, "watchdog.yml").minutes_per_month).toBe(240);
    expect(minutesOf(result, "heartbeat.yml").runs_per_day).toBe(0);
    expect(result.actions_minutes_per_month).toBe(result.workflows.reduce((sum, workflow) => sum + workflow.minutes_per_month, 0));
    expect(result.actions_minutes_per_month).toBeLessThanOrEqual(3000);
    expect(result.fits).toEqual({ free: false, pro: true, team: true });
    expect([result.commits_per_day, result.site_builds_per_day]).toEqual([8, 8]);
    // Two failing runs 30 minutes apart, late as cron is: about three quarters of an hour.
    expect(result.detection_p50_s).toBeGreaterThan(20 * 60);
    expect(result.detection_p50_s).toBeLessThan(60 * 60);
    expect(result.public_paths).toEqual(["https://status.example.com (the public site: GitHub Pages of this repository, built from dist/public only)"]);
    expect(result.warnings).toEqual([]);
  });

  test("continuous probing on GitHub-hosted runners costs about 43,000 minutes a month and says so; on a self-hosted runner it is free and detects within a minute", async () => {
    const hosted = await plan({ "defaults.cadence": "30s", "page.stale": 3 }, continuous);
    expect(minutesOf(hosted, "probe.yml").jobs[0]!.billed_minutes).toBe(6);
    expect(minutesOf(hosted, "probe.yml").minutes_per_month).toBeGreaterThan(40_000);
    expect(hosted.fits.team).toBe(false);
    expect(hosted.warnings).toEqual([expect.stringMatching(/^About [\d,]+ GitHub Actions minutes a month: more than GitHub Team includes \(3,000\)/)]);
    const selfHosted = await plan({ "defaults.cadence": "30s", "page.stale": 3, "deploy.probing": "self-hosted" }, (text) => continuous(text).replace("runs-on: ubuntu-latest", "runs-on: [self-hosted, signalroom]"));
    expect(minutesOf(selfHosted, "probe.yml")).toMatchObject({ jobs: [{ runner: "self-hosted", billed_minutes: 0 }], minutes_per_month: 0 });
    expect(selfHosted.detection_p50_s).toBeLessThanOrEqual(60);
    expect(selfHosted.actions_minutes_per_month).toBeLessThan(3000);
    expect(selfHosted.warnings).toEqual([]);
  });

  test("service mode: zero probe minutes, detection within a minute for 30-second checks; a schedule left in probe.yml is a warning", async () => {
    const service = await plan({ "deploy.probing": "service", "defaults.cadence": "30s", "page.stale": 3 }, (text) => text.replace(/ {2}schedule:\n {4}- cron: .*\n/, ""));
    expect(service.probe).toEqual({ mode: "service", runner: "service", every_s: 30 });
    expect(minutesOf(service, "probe.yml").minutes_per_month).toBe(0);
    expect(service.detection_p50_s).toBeLessThanOrEqual(60);
    // Results land every 30 s: a batch commit every 3 hours, and the site rebuilt after each.
    expect([service.commits_per_day, service.site_builds_per_day]).toEqual([8, 8]);
    expect(service.warnings).toEqual([]);
    const both = await plan({ "deploy.probing": "service" });
    expect(both.warnings).toContainEqual(expect.stringMatching(/^deploy\.probing is service, but probe\.yml still probes on a schedule on GitHub-hosted runners/));
  });

  test("public repository: minutes are free, everything committed is listed as public, issues are owner-safe, and a room without recipients is a warning", async () => {
    const result = await plan({ "deploy.repository": "public" });
    expect(result.minutes_billed).toBe(false);
    expect(result.fits).toEqual({ free: true, pro: true, team: true });
    expect(result.topology.issues).toBe("owner-safe");
    expect(result.public_paths).toEqual(expect.arrayContaining([expect.stringMatching(/^checks\/ /), expect.stringMatching(/^incidents\/ /), expect.stringMatching(/^issues labelled signalroom, incident \(owner-safe text only\)/)]));
    expect(result.warnings).toContainEqual(expect.stringMatching(/^A public repository without deploy\.room\.recipients/));
    const separate = await plan({ "deploy.site": { to: "repository", repository: "acme/status-site" } });
    expect(separate.public_paths).toEqual([expect.stringMatching(/^acme\/status-site, branch gh-pages \(the built public site only\)/)]);
    expect(minutesOf(separate, "site.yml").jobs.map((job) => job.id)).toEqual(["build", "repository"]);
  });

  test("heartbeats through heartbeat.yml cost one job per beat: a 10-minute window is 288 runs a day", async () => {
    const result = await plan({ "deploy.heartbeats": "dispatch" });
    expect(minutesOf(result, "heartbeat.yml")).toMatchObject({ runs_per_day: 288, minutes_per_month: 8640 });
  });

  test("the README shows what npm run plan prints for the example configuration", async () => {
    const result = await runCli(["plan", "--root", REPO]);
    const readme = await readFile(join(REPO, "README.md"), "utf8");
    const shown = /`npm run plan` for the example configuration[^]*?```text\n([^]*?)```/.exec(readme)?.[1];
    expect(shown, "README.md: paste the output of `NO_COLOR=1 npm run plan` into the block after “npm run plan for the example configuration”").toBe(result.stdout);
  });

  test("--outputs sets the step outputs site.yml reads", async () => {
    const root = await exampleWorkspace();
    const file = join(root, "checks/signalroom.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("    to: pages", "    to: repository\n    repository: acme/status-site"));
    const output = join(await tempDir(), "output");
    await writeFile(output, "");
    const result = await runCli(["plan", "--root", root, "--outputs"], { GITHUB_OUTPUT: output });
    expect(result.stdout).toBe("private repository; public site: acme/status-site (gh-pages).\n");
    const values = Object.fromEntries([...(await readFile(output, "utf8")).matchAll(/^(\w+)<<(EOF_\w+)\n([^]*?)\n\2$/gm)].map((match) => [match[1], match[3]]));
    expect(values).toEqual({ repository: "private", site: "repository", site_repository: "acme/status-site", site_branch: "gh-pages" });
  });
});

describe("the cost model", () => {
  const noDetection: Detect = () => ({ p50: 0, p95: 0 });
  const workflow = (steps: WorkflowModel["jobs"][number]["steps"], cron = "0 * * * *"): WorkflowModel => ({ file: "w.yml", name: "w", triggers: [{ event: "schedule", crons: [cron] }], jobs: [{ id: "j", runsOn: ["ubuntu-latest"], legs: 1, steps }] });
  const config = configFile.parse({ page: { title: "t" }, lanes: [{ id: "l" }] });

  test("each job is rounded up to whole minutes, as GitHub bills: 61 seconds cost 2 minutes", () => {
    const long = workflow([{ run: "npm ci" }, { run: "npm run build" }, { run: "npm run build" }]);
    expect(jobSeconds(long.jobs[0]!, () => undefined)).toBe(5 + 15 + 25 + 25);
    expect(planTopology({ config, heartbeatWindows: [], workflows: [long] }, noDetection).workflows[0]).toMatchObject({ runs_per_day: 24, jobs: [{ estimated_s: 70, billed_minutes: 2 }], minutes_per_month: 24 * 2 * 30 });
    const short = workflow([{ run: "echo hi" }]);
    expect(planTopology({ config, heartbeatWindows: [], workflows: [short] }, noDetection).workflows[0]).toMatchObject({ jobs: [{ estimated_s: 6, billed_minutes: 1 }], minutes_per_month: 720 });
  });

  test("cron schedules as GitHub runs them, in UTC", () => {
    expect(["4,34 * * * *", "2-59/5 * * * *", "7 */3 * * *", "17 4 * * 1", "0 9 * * MON-FRI", "*/15 * * * *"].map(runsPerDay)).toEqual([48, 288, 8, 1 / 7, 5 / 7, 96]);
    expect(() => runsPerDay("61 * * * *")).toThrow('the minute "61" is out of range 0-59');
    expect(() => runsPerDay("* * *")).toThrow("is not a cron schedule");
  });

  test("the shipped workflows read as the plan expects them", async () => {
    const files = await readWorkflows(REPO);
    expect(files.map((file) => file.file)).toContain("probe.yml");
    expect(files.find((file) => file.file === "probe-shards.yml")!.jobs[0]).toMatchObject({ id: "probe", legs: 12, runsOn: ["self-hosted", "${{ matrix.region }}"] });
  });
});
