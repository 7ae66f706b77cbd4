/**
 * One probe cycle (docs/probe-run.md): due checks → probe → append samples → advance check states →
 * evaluate alert rules → open, update and resolve incidents → plan notifications into the outbox → write
 * state → deliver the outbox → rollups → run log → retention. Each step is a small named function, so
 * commit/push slots in after. Everything comes in through
 * the options (workspace, clock, environment, region, run id, dispatcher, terminal): no globals.
 *
 * The decisions in the middle (states, alerts, incidents, notifications) are one pure function,
 * scripts/core/cycle.ts. Probing happens outside the workspace lock; everything from appending samples to retention happens
 * inside it, re-reading the state first, so two cycles on one folder never tear a file or lose a sample.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import type { History } from "./core/alerts/conditions.ts";
import { lookback } from "./core/alerts/evaluate.ts";
import type { AlertEvent } from "./core/alerts/events.ts";
import type { Transition } from "./core/check-state.ts";
import { decideCycle } from "./core/cycle.ts";
import type { IncidentEdit } from "./core/incident-lifecycle.ts";
import type { Clock } from "./core/clock.ts";
import { dueChecks, type Shard } from "./core/due.ts";
import { allChecks } from "./core/model.ts";
import type { Problem } from "./core/problems.ts";
import type { LogEntry, Sample, StateFile } from "./core/schema/records.ts";
import { deliverOutbox, type Outcome } from "./notify/deliver.ts";
import { probeChecks } from "./probes/runner.ts";
import { withWorkspaceLock } from "./store/lock.ts";
import { writeIncident } from "./store/incidents.ts";
import { writeAlerting } from "./store/outbox.ts";
import { daysOf, pruneRollups, readRollups, updateRollups } from "./store/rollups.ts";
import { appendLog, pruneLog } from "./store/runlog.ts";
import { appendSamples, pruneSamples, readSamples, toSecond, writerOf } from "./store/samples.ts";
import { readState, writeState } from "./store/state.ts";
import type { Terminal } from "./terminal.ts";
import { loadWorkspace, type ResolvedCheck, type Workspace } from "./workspace.ts";

export interface CycleOptions {
  root: string;
  workspace: Workspace;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** Region label on every sample (SIGNALROOM_REGION). */
  region: string;
  runId: string;
  /** This job's part of the checks when the probe job is split (SIGNALROOM_SHARD=2/4). */
  shard?: Shard;
  dispatcher?: Dispatcher;
  /** Progress while probing; nothing is printed otherwise. */
  terminal?: Terminal;
}

export interface CycleResult {
  runId: string;
  region: string;
  startedAt: string;
  durationMs: number;
  /** Checks probed this cycle (the due ones). */
  probed: ResolvedCheck[];
  samples: Sample[];
  state: StateFile;
  transitions: Transition[];
  /** What the alert rules reported this cycle (fired, cleared, escalated…). */
  alertEvents: AlertEvent[];
  /** Notifications this cycle tried to deliver, with their outcome. */
  deliveries: Outcome[];
  /** Files created or changed, relative to the workspace root (for staging explicit paths). */
  written: string[];
  /** Files retention deleted, relative to the workspace root. */
  removed: string[];
  /** Damaged lines skipped while reading (never fatal). */
  warnings: Problem[];
}

/** GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT in Actions, so samples lead back to the workflow run; random elsewhere. */
export function runIdFrom(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_RUN_ID) return `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  return `local-${randomBytes(4).toString("hex")}`;
}

const REGION = /^[a-z0-9][a-z0-9_-]*$/;

/** SIGNALROOM_REGION (default `local`); it names folders, so only lowercase letters, digits, - and _. */
export function regionFrom(env: NodeJS.ProcessEnv): string {
  const region = env.SIGNALROOM_REGION?.trim() || "local";
  if (!REGION.test(region)) throw new Error(`SIGNALROOM_REGION must use lowercase letters, digits, - and _ (it names folders), not "${region}"`);
  return region;
}

/** SIGNALROOM_SHARD=INDEX/COUNT (1-based), e.g. 2/4; absent when the job is not split. */
export function shardFrom(env: NodeJS.ProcessEnv): Shard | undefined {
  const text = env.SIGNALROOM_SHARD?.trim();
  if (!text) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`SIGNALROOM_SHARD must look like 2/4 (this job's number, then how many), not "${text}"`);
  return { index, count };
}

export async function runProbeCycle(options: CycleOptions): Promise<CycleResult> {
  const started = options.clock.now();
  const due = await selectDue(options);
  const probed = await probe(options, due);
  return withWorkspaceLock(options.root, async () => {
    const written = await appendNewSamples(options, probed.samples);
    const now = options.clock.now();
    const state = await readState(options.root, now);
    const recent = await readRecentSamples(options, probed.samples, now);
    const model = { ...options.workspace, incidents: await currentIncidents(options) };
    const decision = decideCycle({ model, state, samples: recent.samples, history: await anomalyHistory(options), now, alerting: evaluatesRules(options) });
    written.push(...(await writeIncidentEdits(options, model, decision.incidentEdits)));
    const next: StateFile = {
      ...state,
      updatedAt: now.toISOString(),
      lastRun: { id: options.runId, at: started.toISOString(), region: options.region, durationMs: now.getTime() - started.getTime(), checks: due.length },
      checks: decision.checks,
      alerts: decision.alerts,
      outbox: decision.outbox,
    };
    await writeState(options.root, next);
    written.push("checks/state.json");
    const delivery = evaluatesRules(options) ? await deliverNotifications(options, decision.outbox) : { outbox: decision.outbox, outcomes: [] };
    next.outbox = delivery.outbox;
    const rollups = await writeRollupsFor(options, probed.samples, recent.samples, now);
    const warnings = distinct([...recent.warnings, ...rollups.warnings]);
    const log = [...probed.log, ...cycleLog(options, started, now, due, probed.samples, decision.transitions, warnings), ...alertLog(options, now, decision.events, delivery.outcomes)];
    written.push(...(await appendLog(options.root, log, writerOf(options.region, shardLabel(options.shard)))));
    const retention = await applyRetention(options, now);
    written.push(...rollups.written, ...retention.rewritten);
    return {
      runId: options.runId,
      region: options.region,
      startedAt: started.toISOString(),
      durationMs: options.clock.now().getTime() - started.getTime(),
      probed: due,
      samples: probed.samples,
      state: next,
      transitions: decision.transitions,
      alertEvents: decision.events,
      deliveries: delivery.outcomes,
      written: [...new Set(written)],
      removed: retention.removed,
      warnings,
    };
  });
}

export interface LoopOptions {
  /** Pause between the end of one cycle and the start of the next. */
  everyMs: number;
  /** No cycle starts once this long has passed since the first. */
  forMs: number;
  /** Aborting lets the running cycle finish, then stops (SIGINT, SIGTERM). */
  signal: AbortSignal;
  onCycle(result: CycleResult): void | Promise<void>;
}

/**
 * Continuous mode: cycles one after another inside one process, so detection does not wait for the next
 * scheduled job. Each cycle's run id is the job's run id plus its number (`123-1.4`).
 */
export async function runProbeLoop(options: CycleOptions, loop: LoopOptions): Promise<number> {
  const started = options.clock.now().getTime();
  let cycles = 0;
  while (!loop.signal.aborted) {
    cycles += 1;
    await loop.onCycle(await runProbeCycle({ ...options, runId: `${options.runId}.${cycles}` }));
    if (loop.signal.aborted || options.clock.now().getTime() - started + loop.everyMs >= loop.forMs) break;
    await sleep(loop.everyMs, undefined, { signal: loop.signal }).catch(() => undefined);
  }
  return cycles;
}

/** The same damaged line is met by every step that reads its file; report it once. */
function distinct(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file}:${problem.line}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function shardLabel(shard: Shard | undefined): string | undefined {
  return shard ? `shard-${shard.index}of${shard.count}` : undefined;
}

/** Step: the checks whose cadence has elapsed in this region (and shard), from the last written state. */
export async function selectDue(options: CycleOptions): Promise<ResolvedCheck[]> {
  const now = options.clock.now();
  const state = await readState(options.root, now);
  return dueChecks(allChecks(options.workspace), state.checks, options.region, now, options.shard);
}

/** Step: probe the due checks (bounded concurrency, timeouts, a budget); sample times kept to the second. */
export async function probe(options: CycleOptions, checks: ResolvedCheck[]): Promise<{ samples: Sample[]; log: LogEntry[] }> {
  if (checks.length === 0) return { samples: [], log: [] };
  const { config } = options.workspace;
  const result = await probeChecks({
    checks,
    env: options.env,
    clock: options.clock,
    region: options.region,
    runId: options.runId,
    root: options.root,
    concurrency: config.probe.concurrency,
    budgetMs: config.probe.budget,
    dispatcher: options.dispatcher,
    onSample: (sample, done, total) => options.terminal?.progress(`Probing ${done}/${total}: ${sample.check} ${sample.state}`),
  });
  options.terminal?.clearProgress();
  return { samples: result.samples.map(toSecond), log: result.log };
}

/** Step: append this cycle's samples to its own results files. */
export async function appendNewSamples(options: CycleOptions, samples: readonly Sample[]): Promise<string[]> {
  return appendSamples(options.root, samples, shardLabel(options.shard));
}

/**
 * Step: the samples the next steps need, read once: every region's and shard's samples recent enough to
 * matter for quorum and staleness (the state machine skips those it has already applied), and every
 * sample of the days this cycle's samples fall in (their rollups are recomputed).
 */
export async function readRecentSamples(options: CycleOptions, fresh: readonly Sample[], now: Date) {
  const { stale } = options.workspace.config.page;
  const { rules, providers } = options.workspace;
  const reach = Math.max(0, lookback(rules, providers), ...allChecks(options.workspace).map((check) => stale * check.cadence));
  const from = Math.min(now.getTime() - reach, ...(fresh.length > 0 ? [daysOf(fresh).from.getTime()] : []));
  return readSamples(options.root, new Date(from), new Date(now.getTime() + 1));
}

/**
 * Step: the incident files as they are now: a long-running job sees what earlier cycles opened and what
 * operators acknowledged or scheduled since it started. A folder that no longer validates keeps the
 * incidents the job started with.
 */
export async function currentIncidents(options: CycleOptions) {
  return (await loadWorkspace(options.root)).workspace?.incidents ?? options.workspace.incidents;
}

/** A job that probes one shard of several leaves the rules to shard 1, so split jobs never notify twice. */
export function evaluatesRules(options: CycleOptions): boolean {
  return !options.shard || options.shard.index === 1;
}

/** Step: rollups of the checks that anomaly rules compare against their baseline. */
export async function anomalyHistory(options: CycleOptions): Promise<Record<string, History>> {
  const { workspace } = options;
  const history: Record<string, History> = {};
  if (!evaluatesRules(options)) return history;
  for (const rule of workspace.rules.filter((candidate) => candidate.condition.type === "anomaly")) {
    for (const check of allChecks(workspace).filter((c) => rule.checks.includes(c.id) || rule.providers.includes(c.provider))) {
      history[check.id] ??= await readRollups(options.root, check.id);
    }
  }
  return history;
}

/** Step: write the incident files the lifecycle opened, updated or resolved (docs/incidents.md). */
export async function writeIncidentEdits(options: CycleOptions, model: Workspace, edits: readonly IncidentEdit[]): Promise<string[]> {
  for (const edit of edits) await writeIncident(options.root, model, { file: edit.file, frontmatter: edit.frontmatter, body: edit.body });
  return edits.map((edit) => edit.file);
}

/** Step: deliver what is due, persisting progress as it goes; a slow or failing channel costs time, never the run. */
export async function deliverNotifications(options: CycleOptions, outbox: StateFile["outbox"]) {
  return deliverOutbox(outbox, {
    routes: options.workspace.config.routes,
    env: options.env,
    clock: options.clock,
    dispatcher: options.dispatcher,
    persist: (snapshot) => writeAlerting(options.root, options.clock.now(), { outbox: snapshot }),
  });
}

/** Run-log lines for alert events and deliveries (service `alerting`). */
function alertLog(options: CycleOptions, now: Date, events: readonly AlertEvent[], outcomes: readonly Outcome[]): LogEntry[] {
  const entry = (level: LogEntry["level"], message: string, context: Record<string, unknown>): LogEntry => ({ at: now.toISOString(), level, service: "alerting", message, run: options.runId, context });
  return [
    ...events.map((event) =>
      entry(event.type === "fired" ? (event.severity === "critical" ? "critical" : "error") : "info", `alert ${event.rule} ${event.type}${event.routes.length ? ` → ${event.routes.join(", ")}` : ""}`, {
        rule: event.rule,
        episode: event.episode,
        severity: event.severity,
      }),
    ),
    ...outcomes.map((outcome) =>
      entry(outcome.ok ? "info" : "warning", `notification to ${outcome.notification.route} ${outcome.ok ? "sent" : "failed"}: ${outcome.notification.title}`, {
        key: outcome.notification.key,
        attempts: outcome.notification.attempts,
        ...(outcome.error && { error: outcome.error }),
      }),
    ),
  ];
}

/** Step: recompute the hourly and daily buckets this cycle's samples fall in. */
export async function writeRollupsFor(options: CycleOptions, fresh: readonly Sample[], retained: readonly Sample[], now: Date) {
  const cadences = new Map(allChecks(options.workspace).map((check) => [check.id, check.cadence]));
  return updateRollups(options.root, cadences, fresh, options.workspace.config.retention, now, retained);
}

/** Step: prune raw samples, run-log days and old rollup buckets past `retention`; rollups outlive samples. */
export async function applyRetention(options: CycleOptions, now: Date): Promise<{ removed: string[]; rewritten: string[] }> {
  const { retention } = options.workspace.config;
  const before = (ms: number) => new Date(now.getTime() - ms);
  return {
    removed: [...(await pruneSamples(options.root, before(retention.samples))), ...(await pruneLog(options.root, before(retention.runLog)))],
    rewritten: (await pruneRollups(options.root, retention, now)).written,
  };
}

/** The engine's own run-log entries: one per status change, one per damaged line, and the run summary. */
function cycleLog(
  options: CycleOptions,
  started: Date,
  now: Date,
  due: readonly ResolvedCheck[],
  samples: readonly Sample[],
  transitions: readonly Transition[],
  warnings: readonly Problem[],
): LogEntry[] {
  const at = now.toISOString();
  const entry = (level: LogEntry["level"], message: string, context: Record<string, unknown>, extra: Partial<LogEntry> = {}): LogEntry => ({
    at,
    level,
    service: "engine",
    message,
    run: options.runId,
    context,
    ...extra,
  });
  const count = (state: Sample["state"]) => samples.filter((sample) => sample.state === state).length;
  return [
    ...transitions.map((transition) =>
      entry(
        transition.to === "down" ? "error" : transition.to === "up" ? "info" : "warning",
        `${transition.check} is ${transition.to} (was ${transition.from})`,
        { from: transition.from, to: transition.to, since: transition.since },
        { check: transition.check, provider: transition.provider },
      ),
    ),
    ...warnings.map((warning) => entry("warning", `${warning.file}:${warning.line ?? 1} ${warning.message}`, { file: warning.file, line: warning.line })),
    entry(
      "info",
      `probe run finished: ${samples.length} of ${due.length} due checks probed`,
      { region: options.region, due: due.length, up: count("up"), degraded: count("degraded"), down: count("down"), error: count("error"), transitions: transitions.length },
      { durationMs: now.getTime() - started.getTime() },
    ),
  ];
}
