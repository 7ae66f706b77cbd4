/**
 * What the configuration costs and exposes, as `npm run plan` explains it (pure): the topology, what
 * anyone can read, each workflow with its triggers and how often it runs, commits and site builds a day,
 * GitHub Actions minutes a month on GitHub-hosted runners (each job's estimated time rounded up to whole
 * minutes, as GitHub bills), and the detection delay the probing implies (from the detection model,
 * handed in). The estimates rest on the step times in `STEP_SECONDS`, stated in the output.
 */
import { runsPerDay } from "./cron.ts";
import { DURATION_PATTERN, formatDuration, parseDuration } from "./duration.ts";
import type { Config } from "./model.ts";
import { issueFields } from "./topology.ts";

export interface WorkflowModel {
  file: string;
  name: string;
  triggers: { event: string; crons?: string[]; types?: string[]; paths?: string[] }[];
  concurrency?: string;
  jobs: { id: string; if?: string; runsOn: string[]; legs: number; steps: { run?: string; uses?: string }[] }[];
}

export interface DetectionScenario {
  mode: "schedule" | "continuous" | "service";
  /** Milliseconds between scheduled runs. */
  period: number;
  /** Milliseconds between cycles of a continuous job or the service. */
  every: number;
  /** How long a continuous job keeps probing. */
  span: number;
  /** The checks' cadence and failure threshold, and `page.stale` (runs further apart than stale × cadence start streaks afresh). */
  cadence: number;
  failureThreshold: number;
  stale: number;
}

/** Seconds from an outage's onset to the first notification: median and 95th percentile. */
export type Detect = (scenario: DetectionScenario) => { p50: number; p95: number };

export interface PlanInput {
  config: Pick<Config, "deploy" | "defaults" | "probe" | "commit" | "page" | "incidents" | "routes">;
  /** Window of each heartbeat check. */
  heartbeatWindows: number[];
  workflows: WorkflowModel[];
  /** `owner/name` of this repository, when known (for the Pages address). */
  repository?: string;
}

/** Estimated seconds of each part of a job on a GitHub-hosted runner (warm npm cache); the plan states them. */
export const STEP_SECONDS = {
  job: 5,
  checkout: 3,
  "setup-node": 7,
  "npm ci": 15,
  probe: 15,
  build: 25,
  "other npm run": 3,
  "artifact upload or download": 3,
  "deploy-pages": 15,
  "full test suite": 1200,
  "other step": 1,
} as const;

/** Included minutes a month for private repositories, by GitHub plan. */
export const INCLUDED_MINUTES = { free: 2000, pro: 3000, team: 3000 } as const;
const DAYS_A_MONTH = 30;

export interface JobPlan {
  id: string;
  runner: "github-hosted" | "self-hosted";
  legs: number;
  estimated_s: number;
  billed_minutes: number;
}

export interface WorkflowPlan {
  file: string;
  triggers: string[];
  runs_per_day: number;
  /** Why it runs that often, e.g. "schedule 4,34 * * * *" or "after each commit on main". */
  basis: string;
  jobs: JobPlan[];
  minutes_per_month: number;
}

export interface Plan {
  topology: { repository: "private" | "public"; site: string; probing: string; heartbeats: string; issues: "internal" | "owner-safe" };
  probe: { mode: DetectionScenario["mode"] | "none"; every_s?: number; period_s?: number; runner: string };
  public_paths: string[];
  members_only: string[];
  workflows: WorkflowPlan[];
  actions_minutes_per_month: number;
  /** Whether those minutes count against the plan's included minutes (private repositories only). */
  minutes_billed: boolean;
  fits: { free: boolean; pro: boolean; team: boolean };
  commits_per_day: number;
  site_builds_per_day: number;
  detection_p50_s: number | null;
  detection_p95_s: number | null;
  warnings: string[];
  assumptions: { step_seconds: typeof STEP_SECONDS; days_a_month: number; state_changes: string };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The `npm run probe … --push` step that records runs (not a shard job, not a merge), with its flags. */
function probeStep(workflows: readonly WorkflowModel[]) {
  for (const workflow of workflows) {
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        const run = step.run ?? "";
        if (/npm run probe\b/.test(run) && /--push\b/.test(run) && !/--(merge|shard|out)\b/.test(run)) return { workflow, job, run };
      }
    }
  }
  return undefined;
}

const flag = (run: string, name: string) => new RegExp(`--${name}[ =]("?)([0-9a-z.]+)\\1`).exec(run)?.[2];

/** A flag's duration, or the configured default when the flag is absent or not a duration. */
function parseMs(text: string | undefined, fallback: number): number {
  if (!text || !DURATION_PATTERN.test(text)) return fallback;
  return parseDuration(text);
}

function selfHosted(runsOn: readonly string[]): boolean {
  return runsOn.some((label) => label === "self-hosted");
}

/** Estimated seconds of one job, from what its steps do. */
export function jobSeconds(job: WorkflowModel["jobs"][number], probeLoopMs: (run: string) => number | undefined): number {
  let seconds: number = STEP_SECONDS.job;
  for (const step of job.steps) {
    const uses = step.uses?.replace(/@.*$/, "") ?? "";
    const run = step.run ?? "";
    if (uses === "actions/checkout") seconds += STEP_SECONDS.checkout;
    else if (uses === "actions/setup-node") seconds += STEP_SECONDS["setup-node"];
    else if (uses === "actions/deploy-pages") seconds += STEP_SECONDS["deploy-pages"];
    else if (uses) seconds += STEP_SECONDS["artifact upload or download"];
    else if (/npm ci\b/.test(run)) seconds += STEP_SECONDS["npm ci"];
    else if (/npm run probe\b/.test(run)) seconds += STEP_SECONDS.probe + (probeLoopMs(run) ?? 0) / 1000;
    else if (/npm run build\b/.test(run)) seconds += STEP_SECONDS.build;
    else if (/\.ci\/run|npm test\b/.test(run)) seconds += STEP_SECONDS["full test suite"];
    else if (/npm run \w/.test(run)) seconds += STEP_SECONDS["other npm run"] * (run.match(/npm run \w/g)?.length ?? 1);
    else seconds += STEP_SECONDS["other step"];
  }
  return seconds;
}

function describeTrigger(trigger: WorkflowModel["triggers"][number]): string {
  if (trigger.crons) return trigger.crons.map((cron) => `schedule "${cron}" (${round(runsPerDay(cron))} a day)`).join(", ");
  const detail = [trigger.types && `types ${trigger.types.join(", ")}`, trigger.paths && `paths ${trigger.paths.join(", ")}`].filter(Boolean).join("; ");
  return detail ? `${trigger.event} (${detail})` : trigger.event;
}

export function planTopology(input: PlanInput, detect: Detect): Plan {
  const { config, workflows } = input;
  const deploy = config.deploy;
  const warnings: string[] = [];
  const issues = issueFields(deploy);
  const found = probeStep(workflows);
  const loopMs = (run: string) => {
    if (/--once\b/.test(run) || (!/--for\b/.test(run) && !/--every\b/.test(run))) return undefined;
    return parseMs(flag(run, "for"), config.probe.for);
  };

  // How probe runs happen.
  const probeCrons = found?.workflow.triggers.flatMap((trigger) => trigger.crons ?? []) ?? [];
  const probeRunsPerDay = probeCrons.reduce((sum, cron) => sum + runsPerDay(cron), 0);
  let scenario: DetectionScenario | undefined;
  let runner = "none";
  if (deploy.probing === "service") {
    scenario = { mode: "service", period: 0, every: config.probe.every, span: 0, cadence: config.defaults.cadence, failureThreshold: config.defaults.failureThreshold, stale: config.page.stale };
    runner = "service";
    if (found && probeRunsPerDay > 0 && !selfHosted(found.job.runsOn)) {
      warnings.push(`deploy.probing is service, but ${found.workflow.file} still probes on a schedule on GitHub-hosted runners: remove its schedule (keep workflow_dispatch) or it costs minutes and probes twice.`);
    }
  } else if (found && probeRunsPerDay > 0) {
    const loop = loopMs(found.run);
    runner = selfHosted(found.job.runsOn) ? "self-hosted" : "github-hosted";
    const period = 86_400_000 / probeRunsPerDay;
    scenario = loop
      ? { mode: "continuous", period, every: parseMs(flag(found.run, "every"), config.probe.every), span: loop, cadence: config.defaults.cadence, failureThreshold: config.defaults.failureThreshold, stale: config.page.stale }
      : { mode: "schedule", period, every: period, span: 0, cadence: config.defaults.cadence, failureThreshold: config.defaults.failureThreshold, stale: config.page.stale };
    if (runner !== deploy.probing) warnings.push(`deploy.probing is ${deploy.probing}, but ${found.workflow.file} runs on ${runner} runners (runs-on: ${found.job.runsOn.join(", ")}).`);
  } else {
    warnings.push("No workflow probes on a schedule and deploy.probing is not service: nothing probes the checks.");
  }
  if (scenario && scenario.mode !== "continuous" && scenario.mode !== "service" && config.page.stale * config.defaults.cadence < scenario.period * 1.5) {
    warnings.push(
      `Probe runs come every ${formatDuration(Math.round(scenario.period))}, but the data counts as stale after page.stale × defaults.cadence = ${formatDuration(config.page.stale * config.defaults.cadence)}: the watchdog would raise its issue between runs. Set page.stale to at least ${Math.ceil((scenario.period * 1.5) / config.defaults.cadence)}.`,
    );
  }

  // Commits: batches of plain results, as often as results land and the batch allows (plus one per state change).
  const land = scenario ? (scenario.mode === "schedule" ? scenario.period : scenario.every) : 0;
  const commitsPerDay = land > 0 ? 86_400_000 / (Math.max(1, Math.ceil(config.commit.sampleBatch / land)) * land) : 0;
  const dispatched = new Set([...(found ? [...found.run.matchAll(/--dispatch[ =]("?)([\w.-]+)\1/g)].map((match) => match[2]!) : []), ...(deploy.probing === "service" ? ["site.yml"] : [])]);
  const beatsPerDay = deploy.heartbeats === "dispatch" ? input.heartbeatWindows.reduce((sum, window) => sum + 86_400_000 / (window / 2), 0) : 0;

  // A job that runs for one site target only (`if: needs.build.outputs.site == 'pages'`) runs only for that target.
  const runsHere = (job: WorkflowModel["jobs"][number]) => {
    const target = /outputs\.site\s*==\s*'([a-z]+)'/.exec(job.if ?? "")?.[1];
    return target === undefined || target === deploy.site.to;
  };
  const plans: WorkflowPlan[] = workflows.map((workflow) => {
    const jobs = workflow.jobs.filter(runsHere).map((job): JobPlan => {
      const estimated = jobSeconds(job, loopMs);
      const hosted = !selfHosted(job.runsOn);
      return { id: job.id, runner: hosted ? "github-hosted" : "self-hosted", legs: job.legs, estimated_s: Math.round(estimated), billed_minutes: hosted ? Math.ceil(estimated / 60) * job.legs : 0 };
    });
    const crons = workflow.triggers.flatMap((trigger) => trigger.crons ?? []);
    let runs = crons.reduce((sum, cron) => sum + runsPerDay(cron), 0);
    const basis: string[] = crons.length ? [`schedule ${crons.map((cron) => `"${cron}"`).join(", ")}`] : [];
    // Runs queued in one concurrency group cannot overlap: a job longer than the period lowers the count.
    const longest = Math.max(0, ...jobs.map((job) => job.estimated_s));
    if (runs > 0 && workflow.concurrency && longest > 0) runs = Math.min(runs, 86_400 / longest);
    if (dispatched.has(workflow.file)) {
      runs += commitsPerDay;
      basis.push("after each commit on main");
    }
    const heartbeat = workflow.jobs.some((job) => job.steps.some((step) => /npm run heartbeat\b/.test(step.run ?? "")));
    if (heartbeat && beatsPerDay > 0) {
      runs += beatsPerDay;
      basis.push(`one run per heartbeat (${round(beatsPerDay)} a day)`);
    }
    if (basis.length === 0) basis.push("on demand only");
    const perRun = jobs.reduce((sum, job) => sum + job.billed_minutes, 0);
    return { file: workflow.file, triggers: workflow.triggers.map(describeTrigger), runs_per_day: round(runs), basis: basis.join("; "), jobs, minutes_per_month: Math.round(runs * perRun * DAYS_A_MONTH) };
  });
  const minutes = plans.reduce((sum, plan) => sum + plan.minutes_per_month, 0);
  const billed = deploy.repository === "private";
  const siteBuilds = plans.filter((plan) => dispatched.has(plan.file)).reduce((sum, plan) => sum + plan.runs_per_day, 0);
  const detection = scenario ? detect(scenario) : undefined;

  // What anyone can read.
  const [owner, name] = (input.repository ?? "OWNER/REPO").split("/");
  const pagesUrl = config.page.url ?? `https://${owner}.github.io/${name}/`;
  const site =
    deploy.site.to === "pages"
      ? `${pagesUrl} (the public site: GitHub Pages of this repository, built from dist/public only)`
      : deploy.site.to === "repository"
        ? `${deploy.site.repository}, branch ${deploy.site.branch} (the built public site only) and its Pages at ${config.page.url ?? `https://${deploy.site.repository.split("/")[0]}.github.io/${deploy.site.repository.split("/")[1]}/`}`
        : "wherever your upload step puts the `public-site` artifact (the built public site only)";
  const labels = [...new Set([...(config.incidents.mirror.enabled ? config.incidents.mirror.labels : []), ...config.routes.filter((route) => route.channel === "github").flatMap((route) => ((route as { labels?: string[] }).labels ?? ["signalroom"]))])];
  const issuesText = labels.length ? `issues labelled ${labels.join(", ")} (${issues === "owner-safe" ? "owner-safe text only" : "with internal fields: evidence, lead, runbook steps, commander"})` : undefined;
  const roomEncrypted = deploy.room.recipients.length > 0;
  const publicPaths = [site];
  const membersOnly: string[] = [];
  if (deploy.repository === "public") {
    publicPaths.push(
      "checks/ (configuration with owners and runbooks, raw samples, checks/state.json with each check's last error, the run log, rollups)",
      "incidents/ (narratives, evidence, post-mortems)",
      ".github/workflows/, scripts/, site/ (the code)",
    );
    if (issuesText) publicPaths.push(issuesText);
    if (roomEncrypted) publicPaths.push(`the operations-room artifact, encrypted to ${deploy.room.recipients.length} age recipient${deploy.room.recipients.length === 1 ? "" : "s"} (downloadable by anyone signed in, readable only with a key)`);
    else warnings.push("A public repository without deploy.room.recipients: site.yml does not upload the operations room (anyone signed in could download it). Add an age public key to get it.");
    if (issues === "internal") warnings.push("deploy.issues is internal in a public repository: the github route and the incident mirror post evidence, lead and runbook steps to public issues.");
  } else {
    membersOnly.push("the whole repository: checks/, incidents/, the run log and state", `the operations-room artifact${roomEncrypted ? " (also encrypted to your age recipients)" : ""}`);
    if (issuesText) membersOnly.push(issuesText);
  }
  if (billed && minutes > INCLUDED_MINUTES.team) warnings.push(`About ${minutes.toLocaleString("en")} GitHub Actions minutes a month: more than GitHub Team includes (${INCLUDED_MINUTES.team.toLocaleString("en")}). Probe less often, batch commits longer (commit.sampleBatch), or probe from a self-hosted runner or the service (docs/github.md, "Cost").`);

  return {
    topology: { repository: deploy.repository, site: deploy.site.to === "repository" ? `repository ${deploy.site.repository}` : deploy.site.to, probing: deploy.probing, heartbeats: deploy.heartbeats, issues },
    probe: scenario
      ? { mode: scenario.mode, runner, ...(scenario.mode === "schedule" ? { period_s: Math.round(scenario.period / 1000) } : { every_s: Math.round(scenario.every / 1000) }) }
      : { mode: "none", runner },
    public_paths: publicPaths,
    members_only: membersOnly,
    workflows: plans,
    actions_minutes_per_month: minutes,
    minutes_billed: billed,
    fits: { free: !billed || minutes <= INCLUDED_MINUTES.free, pro: !billed || minutes <= INCLUDED_MINUTES.pro, team: !billed || minutes <= INCLUDED_MINUTES.team },
    commits_per_day: round(commitsPerDay),
    site_builds_per_day: round(siteBuilds),
    detection_p50_s: detection ? Math.round(detection.p50) : null,
    detection_p95_s: detection ? Math.round(detection.p95) : null,
    warnings,
    assumptions: { step_seconds: STEP_SECONDS, days_a_month: DAYS_A_MONTH, state_changes: "each state change, incident edit or notification adds one commit and one site build" },
  };
}
