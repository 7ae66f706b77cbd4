/**
 * One probe cycle (docs/probe-run.md): due checks → probe → append samples → advance check states →
 * evaluate alert rules → open, update and resolve incidents → plan notifications into the outbox → write
 * state → deliver the outbox → rollups → run log → retention. Each step is a small named function.
 * Everything comes in through the options (workspace, clock, environment, region, run id, dispatcher,
 * terminal): no globals. The decisions in the middle (states, alerts, incidents, notifications) are one
 * pure function, scripts/core/cycle.ts.
 *
 * A cycle has two halves: `probeDue` probes and writes nothing; `recordCycle` records one or more jobs'
 * findings. Pushing re-runs the recording half on the remote's tree when a push loses a race, and the
 * merge step of a split probe job records every shard's findings at once (scripts/probe-publish.ts).
 * Probing happens outside the workspace lock; recording happens inside it, re-reading the state first, so
 * two cycles on one folder never tear a file or lose a sample.
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
import { carryDeliveries } from "./core/alerts/outbox.ts";
import type { Clock } from "./core/clock.ts";
import { dueChecks, type Shard } from "./core/due.ts";
import { allChecks } from "./core/model.ts";
import type { Problem } from "./core/problems.ts";
import type { LogEntry, Notification, Sample, StateFile } from "./core/schema/records.ts";
import { deliverOutbox, type Outcome } from "./notify/deliver.ts";
import { probeChecks } from "./probes/runner.ts";
import { withWorkspaceLock } from "./store/lock.ts";
import { InvalidIncident, writeIncident } from "./store/incidents.ts";
import { writeAlerting } from "./store/outbox.ts";
import { daysOf, pruneRollups, readRollups, updateRollups } from "./store/rollups.ts";
import { appendLog, pruneLog } from "./store/runlog.ts";
import { appendSamples, pruneSamples, readSamples, toSecond, writerOf } from "./store/samples.ts";
import { readState, STATE_FILE, writeState } from "./store/state.ts";
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
  /** Incident files this cycle opened or edited, with one line per change. */
  incidents: { id: string; file: string; opened: boolean; changes: string[] }[];
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

/**
 * What one probe job found, before anything is recorded: its samples and run log, and whose files they go
 * in. A cycle records its own; the merge step of a split probe job records every shard's (docs/github.md).
 */
export interface Probed {
  runId: string;
  region: string;
  /** The job's part of the checks when they were split across jobs; its files carry the shard's label. */
  shard?: Shard;
  startedAt: string;
  /** Ids of the checks that were due. */
  due: string[];
  samples: Sample[];
  log: LogEntry[];
}

/** One probe cycle on one folder: probe what is due, then record it (state, alerts, incidents, outbox, files). */
export async function runProbeCycle(options: CycleOptions): Promise<CycleResult> {
  return recordCycle(options, [await probeDue(options)]);
}

/** The probing half of a cycle: the due checks (from `state`, else the state on disk), probed. Writes nothing. */
export async function probeDue(options: CycleOptions, state?: StateFile): Promise<Probed> {
  const started = options.clock.now();
  const due = await selectDue(options, state);
  const probed = await probe(options, due);
  return {
    runId: options.runId,
    region: options.region,
    shard: options.shard,
    startedAt: started.toISOString(),
    due: due.map((check) => check.id),
    samples: probed.samples,
    log: probed.log,
  };
}

export interface RecordOptions {
  /**
   * Deliver the outbox as part of recording (the default). Publishing runs leave it out and deliver only once
   * the outbox is on the remote (scripts/probe-publish.ts), so a job that dies mid-send leaves a record.
   */
  deliver?: boolean;
}

/**
 * The recording half of a cycle, under the workspace lock: append each job's samples and log to its own
 * files, then decide once for all of them (check states with quorum across every region, alert rules,
 * incidents, notifications), write state, deliver, rollups, run log, retention. It can run again on
 * another tree (a push lost to a concurrent run): the result is recomputed from that tree's files.
 */
export async function recordCycle(options: CycleOptions, parts: readonly Probed[], record: RecordOptions = {}): Promise<CycleResult> {
  const fresh = parts.flatMap((part) => part.samples);
  const started = new Date(Math.min(options.clock.now().getTime(), ...parts.map((part) => Date.parse(part.startedAt))));
  const dueIds = new Set(parts.flatMap((part) => part.due));
  const due = allChecks(options.workspace).filter((check) => dueIds.has(check.id));
  return withWorkspaceLock(options.root, async () => {
    const written: string[] = [];
    for (const part of parts) written.push(...(await appendSamples(options.root, part.samples, shardLabel(part.shard))));
    const now = options.clock.now();
    const state = await readState(options.root, now);
    const recent = await readRecentSamples(options, fresh, now);
    const model = { ...options.workspace, incidents: await currentIncidents(options) };
    const decision = decideCycle({ model, state, samples: recent.samples, history: await anomalyHistory(options), now });
    const incidents = await writeIncidentEdits(options, model, decision.incidentEdits);
    written.push(...incidents.edits.map((edit) => edit.file));
    const outbox = decision.outbox;
    const next: StateFile = {
      ...state,
      updatedAt: now.toISOString(),
      lastRun: { id: options.runId, at: started.toISOString(), region: options.region, durationMs: now.getTime() - started.getTime(), checks: due.length },
      checks: decision.checks,
      alerts: decision.alerts,
      outbox,
    };
    await writeState(options.root, next);
    written.push(STATE_FILE);
    const delivery = record.deliver === false ? { outbox, outcomes: [] } : await deliverNotifications(options, outbox);
    next.outbox = delivery.outbox;
    const rollups = await writeRollupsFor(options, fresh, recent.samples, now);
    const warnings = distinct([...recent.warnings, ...rollups.warnings, ...incidents.refused]);
    const logs = new Map<string, LogEntry[]>();
    for (const part of parts) {
      const writer = writerOf(part.region, shardLabel(part.shard));
      logs.set(writer, [...(logs.get(writer) ?? []), ...part.log]);
    }
    const own = writerOf(options.region);
    logs.set(own, [...(logs.get(own) ?? []), ...cycleLog(options, started, now, due, fresh, decision.transitions, warnings), ...alertLog(options, now, decision.events, delivery.outcomes)]);
    for (const [writer, entries] of logs) written.push(...(await appendLog(options.root, entries, writer)));
    const retention = await applyRetention(options, now);
    written.push(...rollups.written, ...retention.rewritten);
    return {
      runId: options.runId,
      region: options.region,
      startedAt: started.toISOString(),
      durationMs: options.clock.now().getTime() - started.getTime(),
      probed: due,
      samples: fresh,
      state: next,
      transitions: decision.transitions,
      alertEvents: decision.events,
      deliveries: delivery.outcomes,
      incidents: incidents.edits.map((edit) => ({ id: edit.frontmatter.id, file: edit.file, opened: edit.opened, changes: edit.changes })),
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
  /** One whole cycle with these options (probe and record, and publish when pushing). */
  cycle(options: CycleOptions): Promise<void>;
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
    await loop.cycle({ ...options, runId: `${options.runId}.${cycles}` });
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

/** `shard-2of4`: names a shard's own results and log files. */
export function shardLabel(shard: Shard | undefined): string | undefined {
  return shard ? `shard-${shard.index}of${shard.count}` : undefined;
}

/** Step: the checks whose cadence has elapsed in this region (and shard), from `state` or the last written state. */
export async function selectDue(options: CycleOptions, state?: StateFile): Promise<ResolvedCheck[]> {
  const now = options.clock.now();
  const checks = (state ?? (await readState(options.root, now))).checks;
  return dueChecks(allChecks(options.workspace), checks, options.region, now, options.shard);
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

/** Step: rollups of the checks that anomaly rules compare against their baseline. */
export async function anomalyHistory(options: CycleOptions): Promise<Record<string, History>> {
  const { workspace } = options;
  const history: Record<string, History> = {};
  for (const rule of workspace.rules.filter((candidate) => candidate.condition.type === "anomaly")) {
    for (const check of allChecks(workspace).filter((c) => rule.checks.includes(c.id) || rule.providers.includes(c.provider))) {
      history[check.id] ??= await readRollups(options.root, check.id);
    }
  }
  return history;
}

/**
 * Step: write the incident files the lifecycle opened, updated or resolved (docs/incidents.md). An edit that
 * would not validate (an operator's hand edit it cannot follow) is left out with a warning on its file, so
 * one incident never stops the probe run.
 */
export async function writeIncidentEdits(options: CycleOptions, model: Workspace, edits: readonly IncidentEdit[]): Promise<{ edits: IncidentEdit[]; refused: Problem[] }> {
  const written: IncidentEdit[] = [];
  const refused: Problem[] = [];
  for (const edit of edits) {
    try {
      await writeIncident(options.root, model, { file: edit.file, frontmatter: edit.frontmatter, body: edit.body });
      written.push(edit);
    } catch (error) {
      if (!(error instanceof InvalidIncident)) throw error;
      const reasons = error.message.split("\n").slice(1).map((line) => line.trim());
      refused.push({ severity: "warning", file: edit.file, path: [], message: `automatic incident edit not written: ${reasons.join("; ")}` });
    }
  }
  return { edits: written, refused };
}

/** Step: deliver what is due, persisting progress as it goes; a slow or failing channel costs time, never the run. */
export async function deliverNotifications(options: CycleOptions, outbox: StateFile["outbox"]) {
  return deliverOutbox(outbox, {
    config: options.workspace.config,
    env: options.env,
    clock: options.clock,
    dispatcher: options.dispatcher,
    persist: (snapshot) => writeAlerting(options.root, options.clock.now(), { outbox: snapshot }),
  });
}

export interface Delivered {
  outcomes: Outcome[];
  outbox: Notification[];
  /** Files written (state and run log), relative to the workspace root. */
  written: string[];
}

/**
 * Delivers what is due in the outbox on disk, as a step of its own (after a publishing run pushed the outbox):
 * progress goes to the state file as it happens, and the outcomes to the run log.
 */
export async function deliverRecorded(options: CycleOptions): Promise<Delivered> {
  return withWorkspaceLock(options.root, async () => {
    const delivery = await deliverNotifications(options, (await readState(options.root, options.clock.now())).outbox);
    return { ...delivery, written: [STATE_FILE, ...(await appendLog(options.root, alertLog(options, options.clock.now(), [], delivery.outcomes), writerOf(options.region)))] };
  });
}

/**
 * Records a delivery made on another tree onto this one (its push lost a race): each notification keeps the
 * further progress, announcements of dead letters come along, and the outcomes go to the run log again.
 */
export async function recordDeliveries(options: CycleOptions, delivered: Delivered): Promise<string[]> {
  return withWorkspaceLock(options.root, async () => {
    await writeAlerting(options.root, options.clock.now(), { outbox: carryDeliveries((await readState(options.root, options.clock.now())).outbox, delivered.outbox) });
    return [STATE_FILE, ...(await appendLog(options.root, alertLog(options, options.clock.now(), [], delivered.outcomes), writerOf(options.region)))];
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
