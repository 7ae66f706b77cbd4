/**
 * Runs one probe pass over the due checks: bounded concurrency, a timeout per attempt, retries with
 * backoff, and a budget for the whole run, so one hung target never holds up the others and the run
 * always ends. Placeholders are resolved here, per check, and everything the run returns (samples and
 * run-log entries) passes through that check's redactor. A target's failure is a sample, never a throw.
 */
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import type { Clock } from "../core/clock.ts";
import { formatDuration } from "../core/duration.ts";
import type { ResolvedCheck } from "../core/model.ts";
import { learningRedactor, redactDeep, secretsIn } from "../core/redaction.ts";
import { secretKeysOf } from "../core/schema/common.ts";
import type { LogEntry, Sample } from "../core/schema/records.ts";
import { resolveEnv, weakSecretsProblem } from "../core/secrets.ts";
import type { CheckType, Phase, ProbeOutcome } from "./check-type.ts";
import { describeFailure, reasonOf, untilAborted } from "./failure.ts";
import { checkTypes } from "./registry.ts";

export interface ProbeRunOptions {
  /** From scripts/workspace.ts, already filtered to the due ones. */
  checks: ResolvedCheck[];
  env: NodeJS.ProcessEnv;
  clock: Clock;
  region: string;
  runId: string;
  /** The workspace (heartbeat checks read their beats from it). */
  root: string;
  concurrency: number;
  budgetMs: number;
  /** Routes every HTTP request through it; by default each attempt opens its own connection, fully timed. */
  dispatcher?: Dispatcher;
  /** Progress: called as each check finishes. */
  onSample?: (sample: Sample, done: number, total: number) => void;
}

export interface ProbeRunResult {
  /** One per check, in the order of `checks`. */
  samples: Sample[];
  log: LogEntry[];
}

/** Fields that hold no placeholders to resolve: conditions keep their text as written. */
const NOT_RESOLVED = new Set(["id", "name", "description", "provider", "type", "conditions", "degradedConditions"]);
const BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 5_000;

const TYPES = new Map<string, CheckType>(checkTypes.map((type: CheckType) => [type.type, type]));

export async function probeChecks(options: ProbeRunOptions): Promise<ProbeRunResult> {
  const { checks, clock, runId } = options;
  const started = performance.now();
  const log: LogEntry[] = [];
  const entry = (fields: Omit<LogEntry, "at" | "run" | "context"> & Partial<Pick<LogEntry, "context">>): LogEntry => ({
    at: clock.now().toISOString(),
    run: runId,
    context: {},
    ...fields,
  });
  const budget = new AbortController();
  const budgetTimer = setTimeout(
    () => budget.abort(new Error(`the run budget of ${formatDuration(options.budgetMs)} ended before the check finished`)),
    options.budgetMs,
  );
  log.push(entry({ level: "info", service: "probe", message: `probing ${checks.length} checks`, context: { region: options.region, concurrency: options.concurrency, budgetMs: options.budgetMs } }));

  const samples: Sample[] = new Array(checks.length);
  let next = 0;
  let done = 0;
  let unstarted = 0;
  const worker = async () => {
    while (next < checks.length) {
      const index = next++;
      const check = checks[index]!;
      if (budget.signal.aborted) unstarted++;
      const result = await probeCheck(check, options, budget.signal, entry);
      samples[index] = result.sample;
      log.push(...result.log);
      options.onSample?.(result.sample, ++done, checks.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency), checks.length) }, worker));
  } finally {
    clearTimeout(budgetTimer);
  }

  const durationMs = Math.round(performance.now() - started);
  const counts: Record<string, number> = {};
  for (const sample of samples) counts[sample.state] = (counts[sample.state] ?? 0) + 1;
  if (budget.signal.aborted) {
    log.push(entry({ level: "warning", service: "probe", message: `the run budget of ${formatDuration(options.budgetMs)} ended; ${unstarted} checks were not probed`, durationMs, context: { unstarted } }));
  }
  log.push(entry({ level: "info", service: "probe", message: `probed ${checks.length} checks in ${durationMs} ms`, durationMs, context: counts }));
  return { samples, log };
}

type Entry = (fields: Omit<LogEntry, "at" | "run" | "context"> & Partial<Pick<LogEntry, "context">>) => LogEntry;

async function probeCheck(check: ResolvedCheck, options: ProbeRunOptions, budget: AbortSignal, entry: Entry): Promise<{ sample: Sample; log: LogEntry[] }> {
  const at = options.clock.now().toISOString();
  const log: LogEntry[] = [];
  const type = TYPES.get(check.type);
  const resolved = resolveEnv(check as ResolvedCheck & Record<string, unknown>, options.env, { skip: NOT_RESOLVED, secretKeys: secretKeysOf(type?.options ?? {}) });
  // The check's one redactor: the probe applies it before it cuts a text short, and it learns credentials
  // that show themselves in what the probe saw, so they are removed everywhere after.
  const redact = learningRedactor([...resolved.secrets, ...secretsIn(resolved.value)]);
  // The boundary: nothing of the attempt leaves here unredacted. Identifiers are ours and stay as they are;
  // everything the target or a library could word is redacted, with the secrets known before the probe and
  // those the probe's own words give away.
  const finish = (outcome: ProbeOutcome) => {
    redact.learn([outcome, log.map((item) => [item.message, item.context])]);
    return {
      sample: { at, check: check.id, region: options.region, run: options.runId, ...redactDeep(outcome, redact) },
      log: log.map((item) => ({ ...item, message: redact(item.message), context: redactDeep(item.context, redact) })),
    };
  };
  const service = `probe.${check.type}`;
  const refuse = (error: string) => {
    log.push(entry({ level: "error", service, message: `not probed: ${error}`, check: check.id, provider: check.provider }));
    return finish({ state: "error", error });
  };

  if (!type) return refuse(`unknown check type "${check.type}"`);
  if (resolved.missing.length > 0) {
    const names = resolved.missing;
    return refuse(`environment variable${names.length > 1 ? "s" : ""} ${names.join(", ")} ${names.length > 1 ? "are" : "is"} not set`);
  }
  const weak = weakSecretsProblem(resolved.weak);
  if (weak) return refuse(weak);
  if (budget.aborted) return refuse(`${reasonOf(budget).replace(/ before the check finished$/, "")} before it started`);

  const attempts = check.retries + 1;
  let outcome: ProbeOutcome = { state: "error", error: "not probed" };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const requestId = randomUUID();
    const deadline = attemptDeadline(check.timeout, budget);
    const phases: Record<string, string | number>[] = [];
    const attemptStart = performance.now();
    const mark = (phase: Phase, detail: Record<string, string | number> = {}) => {
      phases.push({ phase, ms: Math.round((performance.now() - attemptStart) * 10) / 10, ...detail });
    };
    try {
      outcome = await untilAborted(
        type.probe(resolved.value, { signal: deadline.signal, timeoutMs: check.timeout, requestId, clock: options.clock, root: options.root, dispatcher: options.dispatcher, mark, redact }),
        deadline.signal,
      );
    } catch (error) {
      // Either the deadline passed and the probe did not stop by itself, or the probe broke: both are
      // outcomes, never a crash of the run.
      outcome = deadline.signal.aborted ? { state: type.silence ?? "down", error: reasonOf(deadline.signal) } : { state: "error", error: `the probe failed: ${describeFailure(error, check.id)}` };
    } finally {
      deadline.clear();
    }
    const retrying = outcome.state === "down" && attempt < attempts && !budget.aborted;
    log.push(
      entry({
        level: levelOf(outcome, retrying),
        service,
        message: describeAttempt(outcome, performance.now() - attemptStart, retrying),
        check: check.id,
        provider: check.provider,
        requestId,
        durationMs: Math.round(performance.now() - attemptStart),
        context: { attempt, attempts, state: outcome.state, ...(outcome.status !== undefined ? { status: outcome.status } : {}), phases },
      }),
    );
    if (!retrying) break;
    if (!(await pause(Math.min(BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS), budget))) break;
  }
  return finish(outcome);
}

/** A signal that aborts at the attempt's timeout or when the run's budget ends, whichever comes first. */
function attemptDeadline(timeoutMs: number, budget: AbortSignal): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onBudget = () => controller.abort(budget.reason);
  if (budget.aborted) onBudget();
  else budget.addEventListener("abort", onBudget, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${formatDuration(timeoutMs)}`)), timeoutMs);
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      budget.removeEventListener("abort", onBudget);
    },
  };
}

/** Waits before a retry; false when the budget ended first. */
function pause(ms: number, budget: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (budget.aborted) return resolve(false);
    const timer = setTimeout(() => {
      budget.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    budget.addEventListener("abort", onAbort, { once: true });
  });
}

/** Healthy attempts are debug (playbook §6.1.2: not kept in production by default); failures stand out. */
function levelOf(outcome: ProbeOutcome, retrying: boolean): LogEntry["level"] {
  if (outcome.state === "up") return "debug";
  if (outcome.state === "degraded") return "info";
  if (retrying) return "warning";
  return "error";
}

function describeAttempt(outcome: ProbeOutcome, ms: number, retrying: boolean): string {
  const status = outcome.status !== undefined ? ` (${outcome.status})` : "";
  const why = outcome.error ? `: ${outcome.error}` : "";
  return `${outcome.state}${status} in ${Math.round(ms)} ms${why}${retrying ? "; retrying" : ""}`;
}
