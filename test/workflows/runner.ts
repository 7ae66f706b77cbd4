/**
 * A small GitHub Actions runner for the test suite. The workflow file is parsed by GitHub's own
 * `@actions/workflow-parser` (schema validation, implicit `success() &&` in conditions, `format()` for
 * interpolated strings) and every `${{ }}` is evaluated by `@actions/expressions` (expressions.ts). Then:
 * - the event must match the workflow's triggers (types, branches, paths), or nothing runs;
 * - jobs run in `needs` order, skipped by their `if:` or a failed need as GitHub skips them, a matrix
 *   expanded into one job per combination (a few at a time);
 * - each job gets a fresh folder as GITHUB_WORKSPACE, a token holding only its `permissions:`, the
 *   variables and files GitHub provides (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY,
 *   GITHUB_EVENT_PATH, GITHUB_REPOSITORY, RUNNER_OS=Linux…) and nothing of this process's environment;
 * - `run:` steps run with `bash -e` (GitHub's default shell), with workflow, job and step `env`;
 *   `uses:` steps run their local stand-in (actions.ts); workflow commands (`::error file=…::`) are
 *   collected as annotations; a step's time limit is the job's `timeout-minutes`.
 * Workflows that call other workflows, containers and services are not supported (ours use none).
 */
import { spawn } from "node:child_process";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, matchesGlob, resolve as resolvePath } from "node:path";
import { convertWorkflowTemplate, isMapping, isSequence, isString, NoOperationTraceWriter, parseWorkflow, type WorkflowTemplate } from "@actions/workflow-parser";
import type { ActionStep, Job, RunStep } from "@actions/workflow-parser/model/workflow-template";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { STAND_INS, checkedInputs } from "./actions.ts";
import { asText, condition, resolve, type Contexts, type Status } from "./expressions.ts";
import type { WorkflowEvent } from "./events.ts";
import type { Access, World } from "./world.ts";

export type Result = "success" | "failure" | "skipped" | "cancelled";

export interface Annotation {
  level: "error" | "warning" | "notice";
  file?: string;
  line?: number;
  message: string;
}

export interface StepRecord {
  name: string;
  uses?: string;
  run?: string;
  outcome: Result;
  output: string;
  outputs: Record<string, string>;
}

export interface JobRecord {
  id: string;
  matrix?: Record<string, unknown>;
  result: Result;
  runsOn: unknown;
  permissions: Record<string, Access>;
  steps: StepRecord[];
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** Why the job did not run or failed, when it did. */
  reason?: string;
}

export interface WorkflowRun {
  workflow: string;
  runId: number;
  /** False when the event does not match the workflow's `on:`; then no job ran. */
  triggered: boolean;
  conclusion: Result;
  jobs: JobRecord[];
  /** The run's artifacts, one folder each. */
  artifacts: string;
  annotations: Annotation[];
  /** Every job's log, steps in order, for assertions and failure messages. */
  log: string;
}

/** Reads and converts a workflow with GitHub's parser; a schema problem is an error here, as GitHub refuses the file. */
export async function loadWorkflow(path: string): Promise<{ template: WorkflowTemplate; root: TemplateToken }> {
  const parsed = parseWorkflow({ name: path, content: await readFile(path, "utf8") }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || !parsed.value) throw new Error(`${path}: ${errors.map((error) => error.message).join("; ")}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new Error(`${path}: ${template.errors.map((error) => error.Message).join("; ")}`);
  return { template, root: parsed.value };
}

/** A mapping token's child by key. */
function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (isString(pair.key) && pair.key.value === key) return pair.value;
  return undefined;
}

function rawStep(root: TemplateToken, job: string, index: number): TemplateToken | undefined {
  const steps = child(child(child(root, "jobs"), job), "steps");
  return steps && isSequence(steps) ? steps.get(index) : undefined;
}

/** Whether the event starts the workflow (the event's name, activity types, branches and paths). */
export function triggers(template: WorkflowTemplate, event: WorkflowEvent): boolean {
  if (event.name === "schedule") return (template.events.schedule ?? []).some((entry) => entry.cron === event.payload.schedule);
  const config = template.events[event.name] as Record<string, unknown> | undefined;
  if (config === undefined) return false;
  const types = config.types as string[] | undefined;
  const action = event.payload.action as string | undefined;
  if (event.name === "pull_request") {
    if (!(types ?? ["opened", "synchronize", "reopened"]).includes(action ?? "")) return false;
  } else if (types && !types.includes(action ?? "")) return false;
  const branch = (event.ref ?? "refs/heads/main").replace(/^refs\/heads\//, "");
  const branches = config.branches as string[] | undefined;
  if (event.name === "push" && branches && !branches.some((pattern) => matchesGlob(branch, pattern))) return false;
  const paths = config.paths as string[] | undefined;
  if (event.name === "push" && paths && !(event.changed ?? []).some((file) => paths.some((pattern) => matchesGlob(file, pattern)))) return false;
  return true;
}

/** Every combination of a `strategy.matrix` (include and exclude as GitHub applies them). */
function expand(matrix: Record<string, unknown> | undefined): (Record<string, unknown> | undefined)[] {
  if (!matrix) return [undefined];
  const { include, exclude, ...axes } = matrix as { include?: Record<string, unknown>[]; exclude?: Record<string, unknown>[] } & Record<string, unknown[]>;
  let combinations: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(axes)) combinations = combinations.flatMap((combination) => (values as unknown[]).map((value) => ({ ...combination, [name]: value })));
  combinations = combinations.filter((combination) => !(exclude ?? []).some((rule) => Object.entries(rule).every(([key, value]) => combination[key] === value)));
  for (const extra of include ?? []) combinations.push(extra);
  return combinations;
}

/** `name=value` lines and `name<<DELIMITER` blocks, as GitHub reads GITHUB_OUTPUT and GITHUB_ENV. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (index++; index < lines.length && lines[index] !== heredoc[2]; index++) body.push(lines[index]!);
      if (index >= lines.length) throw new Error(`Matching delimiter not found '${heredoc[2]}'`);
      values[heredoc[1]!] = body.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 1) throw new Error(`Invalid format '${line}'`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

const unescape = (text: string) => text.replace(/%0A/gi, "\n").replace(/%0D/gi, "\r").replace(/%3A/gi, ":").replace(/%2C/gi, ",").replace(/%25/g, "%");

/** `::error file=a.yaml,line=3::message` lines of a step's output. */
export function annotationsOf(output: string): Annotation[] {
  const found: Annotation[] = [];
  for (const line of output.split("\n")) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line.trim());
    if (!match) continue;
    const properties = Object.fromEntries((match[2] ?? "").split(",").filter(Boolean).map((pair) => pair.split("=").map(unescape) as [string, string]));
    found.push({ level: match[1] as Annotation["level"], ...(properties.file && { file: properties.file }), ...(properties.line && { line: Number(properties.line) }), message: unescape(match[3]!) });
  }
  return found;
}

function runScript(script: string, options: { cwd: string; env: Record<string, string>; timeoutMs: number; file: string }): Promise<{ code: number; output: string }> {
  return writeFile(options.file, script).then(
    () =>
      new Promise((done) => {
        const child = spawn("bash", ["-e", options.file], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        const timer = setTimeout(() => {
          output += `\n::error::The job has exceeded the maximum execution time\n`;
          process.kill(-child.pid!, "SIGKILL");
        }, options.timeoutMs);
        child.on("close", (code) => {
          clearTimeout(timer);
          done({ code: code ?? 1, output });
        });
      }),
  );
}

/** The permissions a job's token gets: the job's `permissions:`, else the workflow's, else GitHub's restricted default. */
function permissionsOf(jobToken: TemplateToken | undefined, workflowToken: TemplateToken | undefined, contexts: Contexts): Record<string, Access> {
  const value = resolve(child(jobToken, "permissions") ?? child(workflowToken, "permissions"), contexts);
  if (value === undefined) return { contents: "read", metadata: "read", packages: "read" };
  if (value === "read-all" || value === "write-all") {
    const access = value === "read-all" ? "read" : "write";
    return Object.fromEntries(["actions", "contents", "issues", "pages", "pull-requests", "id-token"].map((scope) => [scope, access as Access]));
  }
  return value as Record<string, Access>;
}

/** Matrix jobs running at the same time (GitHub runs them all at once; the two cores here cannot). */
const PARALLEL_LEGS = 3;

/** Runs a workflow for an event. The workflow file is read from main, as for every event our workflows use but pull_request (ours never change workflows). */
export async function runWorkflow(world: World, file: string, event: WorkflowEvent): Promise<WorkflowRun> {
  const runId = world.nextRunId();
  const runDir = join(world.dir, "runs", String(runId));
  const artifacts = join(runDir, "artifacts");
  await mkdir(artifacts, { recursive: true });
  const source = await world.clone(`source-${runId}`);
  const { template, root } = await loadWorkflow(join(source, ".github/workflows", file));
  const run: WorkflowRun = { workflow: file, runId, triggered: triggers(template, event), conclusion: "skipped", jobs: [], artifacts, annotations: [], log: "" };
  if (!run.triggered) return run;

  const ref = event.ref ?? "refs/heads/main";
  const sha = event.sha ?? (await world.head());
  const eventPath = join(runDir, "event.json");
  await writeFile(eventPath, JSON.stringify(event.payload, null, 2));
  const workflowName = asText(resolve(child(root, "name"), {})) || file;
  const github = {
    action: "",
    actor: "octo-admin",
    api_url: world.api.apiUrl,
    event: event.payload,
    event_name: event.name,
    event_path: eventPath,
    graphql_url: `${world.api.apiUrl}/graphql`,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ""),
    ref_type: "branch",
    repository: world.repository,
    repository_owner: world.repository.split("/")[0],
    run_attempt: "1",
    run_id: String(runId),
    run_number: String(runId - 1000),
    server_url: world.git.url,
    sha,
    workflow: workflowName,
    workflow_ref: `${world.repository}/.github/workflows/${file}@${ref}`,
    head_ref: event.name === "pull_request" ? (event.payload.pull_request as { head: { ref: string } }).head.ref : "",
    base_ref: event.name === "pull_request" ? (event.payload.pull_request as { base: { ref: string } }).base.ref : "",
  };
  const workflowEnv = Object.fromEntries(Object.entries((resolve(template.env, { github, vars: world.vars, secrets: {}, inputs: {} }) as Record<string, unknown>) ?? {}).map(([key, value]) => [key, asText(value)]));
  // The concurrency group must evaluate, as GitHub evaluates it before queueing the run.
  resolve(template.concurrency, { github, vars: world.vars, inputs: {} });

  const results = new Map<string, { result: Result; outputs: Record<string, string> }>();
  const jobs = template.jobs.filter((job): job is Job => job.type === "job");
  const pending = [...jobs];
  while (pending.length > 0) {
    const index = pending.findIndex((job) => (job.needs ?? []).every((need) => results.has(need.value)));
    if (index < 0) throw new Error(`${file}: the needs of ${pending.map((job) => job.id.value).join(", ")} can never be met`);
    const [job] = pending.splice(index, 1);
    const needs = Object.fromEntries((job!.needs ?? []).map((need) => [need.value, results.get(need.value)!]));
    const records = await runJob(world, { job: job!, root, github, workflowEnv, needs, runDir, artifacts, eventRef: ref, sha, eventName: event.name });
    run.jobs.push(...records);
    const result: Result = records.some((record) => record.result === "failure") ? "failure" : records.every((record) => record.result === "skipped") ? "skipped" : "success";
    results.set(job!.id.value, { result, outputs: Object.assign({}, ...records.map((record) => record.outputs)) });
  }
  run.annotations = run.jobs.flatMap((job) => job.annotations);
  run.conclusion = run.jobs.some((job) => job.result === "failure") ? "failure" : "success";
  run.log = run.jobs
    .map((job) => [`## ${job.id}${job.matrix ? ` ${JSON.stringify(job.matrix)}` : ""}: ${job.result}${job.reason ? ` (${job.reason})` : ""}`, ...job.steps.map((step) => `### ${step.name}: ${step.outcome}\n${step.output}`)].join("\n"))
    .join("\n");
  return run;
}

interface JobInput {
  job: Job;
  root: TemplateToken;
  github: Record<string, unknown>;
  workflowEnv: Record<string, string>;
  needs: Record<string, { result: Result; outputs: Record<string, string> }>;
  runDir: string;
  artifacts: string;
  eventRef: string;
  sha: string;
  eventName: string;
}

async function runJob(world: World, input: JobInput): Promise<JobRecord[]> {
  const { job, github, needs } = input;
  const id = job.id.value;
  const base: Contexts = { github, needs, vars: world.vars, inputs: (github.event as { inputs?: unknown }).inputs ?? {} };
  const needStatus: Status = {
    failed: Object.values(needs).some((need) => need.result === "failure"),
    cancelled: false,
    skipped: Object.values(needs).some((need) => need.result === "skipped"),
  };
  const rawJob = child(child(input.root, "jobs"), id);
  const skipped = (reason: string): JobRecord[] => [{ id, result: "skipped", runsOn: undefined, permissions: {}, steps: [], outputs: {}, summary: "", annotations: [], reason }];
  if (!condition(job.if.expression, base, needStatus)) return skipped(`if: ${job.if.expression}`);

  const strategy = resolve(job.strategy, base) as { matrix?: Record<string, unknown>; "max-parallel"?: number } | undefined;
  const legs = expand(strategy?.matrix);
  const records: JobRecord[] = [];
  for (let start = 0; start < legs.length; start += PARALLEL_LEGS) {
    records.push(...(await Promise.all(legs.slice(start, start + PARALLEL_LEGS).map((matrix, offset) => runLeg(world, input, rawJob, matrix, start + offset)))));
  }
  return records;
}

async function runLeg(world: World, input: JobInput, rawJob: TemplateToken | undefined, matrix: Record<string, unknown> | undefined, leg: number): Promise<JobRecord> {
  const { job, github } = input;
  const id = job.id.value;
  const jobDir = join(input.runDir, "jobs", `${id}-${leg}`);
  const workspace = join(jobDir, "workspace");
  const temp = join(jobDir, "temp");
  await mkdir(workspace, { recursive: true });
  await mkdir(temp, { recursive: true });
  const contexts: Contexts = {
    github,
    needs: input.needs,
    vars: world.vars,
    inputs: (github.event as { inputs?: unknown }).inputs ?? {},
    matrix: matrix ?? {},
    strategy: { "fail-fast": true, "job-index": leg, "job-total": 1, "max-parallel": 1 },
    runner: { os: "Linux", arch: "X64", name: `runner-${leg}`, temp, tool_cache: world.toolcache, environment: "github-hosted" },
    job: { status: "success" },
    steps: {},
    env: {},
  };
  const permissions = permissionsOf(rawJob, input.root, contexts);
  const token = world.mint({ [world.repository]: permissions });
  const secrets = { ...world.secrets, GITHUB_TOKEN: token };
  (contexts.github as Record<string, unknown>).token = token;
  (contexts.github as Record<string, unknown>).job = id;
  contexts.secrets = secrets;
  const runsOn = resolve(job["runs-on"], contexts);
  const jobEnv = Object.fromEntries(Object.entries((resolve(job.env, contexts) as Record<string, unknown>) ?? {}).map(([key, value]) => [key, asText(value)]));
  const timeoutMs = Number(resolve(child(rawJob, "timeout-minutes"), contexts) ?? 360) * 60_000;
  const record: JobRecord = { id, ...(matrix && { matrix }), result: "success", runsOn, permissions, steps: [], outputs: {}, summary: "", annotations: [] };
  let path = world.path;
  const envFile = join(temp, "env");
  await writeFile(envFile, "");
  let exported: Record<string, string> = {};
  let failed = false;
  const started = Date.now();

  for (const [index, step] of (job.steps as (RunStep | ActionStep)[]).entries()) {
    const raw = rawStep(input.root, id, index);
    const name = asText(resolve(step.name, contexts)) || ("uses" in step ? step.uses.value : `Run ${asText(resolve(step.run, contexts)).split("\n")[0]}`);
    const stepRecord: StepRecord = { name, outcome: "skipped", output: "", outputs: {} };
    if ("uses" in step) stepRecord.uses = step.uses.value;
    record.steps.push(stepRecord);
    contexts.env = { ...input.workflowEnv, ...jobEnv, ...exported };
    if (!condition(step.if.expression, contexts, { failed, cancelled: false })) {
      setStep(contexts, step.id, "skipped", {});
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries((resolve(step.env, contexts) as Record<string, unknown>) ?? {}).map(([key, value]) => [key, asText(value)]));
    const files = Object.fromEntries(["output", "summary", "path"].map((kind) => [kind, join(temp, `${kind}-${index}`)]));
    await Promise.all(Object.values(files).map((file) => writeFile(file, "")));
    const env: Record<string, string> = {
      HOME: join(world.dir, "home"),
      LANG: "C.UTF-8",
      PATH: path,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION: step.id,
      GITHUB_ACTOR: "octo-admin",
      GITHUB_API_URL: world.api.apiUrl,
      GITHUB_GRAPHQL_URL: `${world.api.apiUrl}/graphql`,
      GITHUB_SERVER_URL: world.git.url,
      GITHUB_REPOSITORY: world.repository,
      GITHUB_REPOSITORY_OWNER: world.repository.split("/")[0]!,
      GITHUB_EVENT_NAME: input.eventName,
      GITHUB_EVENT_PATH: github.event_path as string,
      GITHUB_REF: input.eventRef,
      GITHUB_REF_NAME: github.ref_name as string,
      GITHUB_SHA: input.sha,
      GITHUB_RUN_ID: github.run_id as string,
      GITHUB_RUN_NUMBER: github.run_number as string,
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_WORKFLOW: github.workflow as string,
      GITHUB_WORKFLOW_REF: github.workflow_ref as string,
      GITHUB_JOB: id,
      GITHUB_WORKSPACE: workspace,
      GITHUB_ENV: envFile,
      GITHUB_OUTPUT: files.output!,
      GITHUB_STEP_SUMMARY: files.summary!,
      GITHUB_PATH: files.path!,
      RUNNER_OS: "Linux",
      RUNNER_ARCH: "X64",
      RUNNER_NAME: `runner-${leg}`,
      RUNNER_TEMP: temp,
      RUNNER_TOOL_CACHE: world.toolcache,
      ...(permissions["id-token"] === "write" && { ACTIONS_ID_TOKEN_REQUEST_URL: `${world.api.apiUrl}/oidc`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token }),
      ...input.workflowEnv,
      ...jobEnv,
      ...exported,
      ...stepEnv,
    };
    let ok: boolean;
    let outputs: Record<string, string> = {};
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    if ("run" in step) {
      const script = asText(resolve(step.run, contexts));
      stepRecord.run = script;
      const cwd = resolvePath(workspace, asText(resolve(child(raw, "working-directory"), contexts)));
      const { code, output } = await runScript(script, { cwd, env, timeoutMs: remaining, file: join(temp, `step-${index}.sh`) });
      stepRecord.output = code === 0 ? output : `${output}\n::error::Process completed with exit code ${code}.`;
      ok = code === 0;
    } else {
      const action = step.uses.value.replace(/@.*$/, "");
      const given = Object.fromEntries(Object.entries((resolve(child(raw, "with"), contexts) as Record<string, unknown>) ?? {}).map(([key, value]) => [key, asText(value)]));
      const lines: string[] = [];
      const added: string[] = [];
      try {
        const inputs = checkedInputs(action, given);
        outputs = await STAND_INS[action]!.run({
          world,
          job: { id, permissions, token },
          artifacts: input.artifacts,
          workspace,
          event: { name: input.eventName, ref: input.eventRef, sha: input.sha },
          inputs,
          env,
          log: (line) => lines.push(line),
          addPath: (dir) => added.push(dir),
        });
        ok = true;
      } catch (error) {
        lines.push(`::error::${(error as Error).message}`);
        ok = false;
      }
      for (const dir of added) await appendFile(files.path!, `${dir}\n`);
      stepRecord.output = lines.join("\n");
    }

    try {
      outputs = { ...outputs, ...parseFileCommands(await readFile(files.output!, "utf8")) };
      exported = { ...exported, ...parseFileCommands(await readFile(envFile, "utf8")) };
    } catch (error) {
      stepRecord.output += `\n::error::${(error as Error).message}`;
      ok = false;
    }
    for (const dir of (await readFile(files.path!, "utf8")).split("\n").filter(Boolean).reverse()) path = `${dir}:${path}`;
    record.summary += await readFile(files.summary!, "utf8");
    record.annotations.push(...annotationsOf(stepRecord.output));
    stepRecord.outputs = outputs;
    stepRecord.outcome = ok ? "success" : "failure";
    const continueOnError = "continue-on-error" in step && step["continue-on-error"] === true;
    if (!ok && !continueOnError) failed = true;
    setStep(contexts, step.id, ok ? "success" : "failure", outputs);
    contexts.job = { status: failed ? "failure" : "success" };
  }
  record.result = failed ? "failure" : "success";
  record.outputs = Object.fromEntries(Object.entries((resolve(job.outputs, contexts) as Record<string, unknown>) ?? {}).map(([key, value]) => [key, asText(value)]));
  return record;
}

function setStep(contexts: Contexts, id: string, outcome: Result, outputs: Record<string, string>): void {
  if (id.startsWith("__")) return;
  (contexts.steps as Record<string, unknown>)[id] = { outcome, conclusion: outcome, outputs };
}
