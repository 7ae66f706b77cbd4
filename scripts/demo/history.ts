/**
 * Months of history in a few seconds: simulated time advances minute by minute (five minutes at a time
 * before `fineFrom`), each check due at that moment gets the sample the world would have given
 * (simulated-samples.ts), and the real decision of every probe cycle (scripts/core/cycle.ts) runs on it:
 * check states, alert rules, the incident lifecycle and notification planning. Notifications are really
 * delivered to the world's sinks at their simulated time. Everything stays in memory; the caller writes
 * the files once at the end.
 */
import type { Clock } from "../core/clock.ts";
import { decideCycle } from "../core/cycle.ts";
import type { History } from "../core/alerts/conditions.ts";
import type { Incident } from "../core/model.ts";
import { allChecks } from "../core/model.ts";
import { bucketStart, summarise, type Granularity } from "../core/rollup.ts";
import type { Notification, Rollup, Sample, StateFile } from "../core/schema/records.ts";
import { lookback } from "../core/alerts/evaluate.ts";
import { emptyState } from "../store/state.ts";
import type { Workspace } from "../workspace.ts";
import type { OperatorDesk } from "./operators.ts";
import { SIMULATORS } from "./simulated-samples.ts";

const MINUTE = 60_000;

export interface HistoryOptions {
  workspace: Workspace;
  /** First and last simulated moments (inclusive of `to`). */
  from: Date;
  to: Date;
  /** One-minute steps from here on, five-minute steps before. */
  fineFrom: Date;
  /** The demo's "now", which the world's past episodes are dated from. */
  now: Date;
  region: string;
  /** Set to each simulated moment, for the world's servers and for delivery. */
  clock: Clock & { set(at: Date): void };
  /** Delivers what is due in the outbox at the clock's time; returns the outbox after. */
  deliver(outbox: Notification[]): Promise<Notification[]>;
  operators: OperatorDesk;
  onProgress?(done: number): void;
}

export interface SimulatedHistory {
  state: StateFile;
  incidents: Incident[];
  /** Incident files the simulation opened or changed. */
  edited: Set<string>;
  /** Every sample since `keepSamplesFrom`, oldest first. */
  samples: Sample[];
  rollups: Map<string, { hourly: Rollup[]; daily: Rollup[] }>;
  ticks: number;
}

/** Accumulates one check's samples into hourly and daily rollups as simulated time passes. */
class RollupBuilder {
  readonly hourly: Rollup[] = [];
  readonly daily: Rollup[] = [];
  private open: Record<Granularity, { start: string; samples: Sample[]; cadence: number } | undefined> = { hour: undefined, day: undefined };

  add(sample: Sample, cadence: number): void {
    for (const granularity of ["hour", "day"] as const) {
      const start = bucketStart(sample.at, granularity);
      const bucket = this.open[granularity];
      if (bucket && bucket.start !== start) this.close(granularity);
      const current = (this.open[granularity] ??= { start, samples: [], cadence });
      current.samples.push(sample);
      current.cadence = Math.max(current.cadence, cadence);
    }
  }

  close(granularity: Granularity): void {
    const bucket = this.open[granularity];
    if (!bucket) return;
    (granularity === "hour" ? this.hourly : this.daily).push(summarise(bucket.samples, bucket.start, granularity, bucket.cadence));
    this.open[granularity] = undefined;
  }

  history(): History {
    return { hourly: this.hourly, daily: this.daily };
  }
}

export async function simulateHistory(options: HistoryOptions, keepSamplesFrom: Date): Promise<SimulatedHistory> {
  const { workspace, region } = options;
  const checks = allChecks(workspace).filter((check) => check.enabled && SIMULATORS[check.id]);
  const reach = Math.max(lookback(workspace.rules, workspace.providers), ...checks.map((check) => workspace.config.page.stale * check.cadence));
  const builders = new Map(checks.map((check) => [check.id, new RollupBuilder()]));
  const anomalyChecks = new Set(
    workspace.rules.filter((rule) => rule.condition.type === "anomaly").flatMap((rule) => checks.filter((check) => rule.checks.includes(check.id) || rule.providers.includes(check.provider)).map((check) => check.id)),
  );
  let state: StateFile = emptyState(options.from);
  let incidents: Incident[] = [...workspace.incidents];
  const edited = new Set<string>();
  const kept: Sample[] = [];
  let recent: Sample[] = [];
  let ticks = 0;

  for (let at = options.from.getTime(); at <= options.to.getTime(); ) {
    const moment = new Date(at);
    options.clock.set(moment);
    const step = at < options.fineFrom.getTime() ? 5 * MINUTE : MINUTE;
    const run = `history-${moment.toISOString().slice(0, 16).replace(/[-:T]/g, "")}`;
    const fresh: Sample[] = checks
      .filter((check) => at % Math.max(check.cadence, step) === 0)
      .map((check) => ({ at: moment.toISOString(), check: check.id, region, run, ...SIMULATORS[check.id]!(moment, options.now) }));
    for (const sample of fresh) {
      const check = checks.find((candidate) => candidate.id === sample.check)!;
      builders.get(sample.check)!.add(sample, Math.max(check.cadence, step));
      if (at >= keepSamplesFrom.getTime()) kept.push(sample);
    }
    recent = [...recent.filter((sample) => Date.parse(sample.at) > at - reach), ...fresh];
    const history = Object.fromEntries([...anomalyChecks].map((id) => [id, builders.get(id)!.history()]));
    const decision = decideCycle({ model: { ...workspace, incidents }, state, samples: recent, history, now: moment });
    for (const edit of decision.incidentEdits) edited.add(edit.file);
    const staffed = options.operators.act(decision.incidents, moment);
    for (const file of staffed.edited) edited.add(file);
    incidents = staffed.incidents;
    state = {
      ...state,
      updatedAt: moment.toISOString(),
      lastRun: { id: run, at: moment.toISOString(), region, durationMs: 900, checks: fresh.length },
      checks: decision.checks,
      alerts: decision.alerts,
      outbox: decision.outbox.some((entry) => entry.status !== "sent" && entry.status !== "failed") ? await options.deliver(decision.outbox) : decision.outbox,
    };
    ticks += 1;
    if (ticks % 500 === 0) options.onProgress?.(ticks);
    at += step;
  }
  for (const builder of builders.values()) {
    builder.close("hour");
    builder.close("day");
  }
  return {
    state,
    incidents,
    edited,
    samples: kept,
    rollups: new Map([...builders].map(([id, builder]) => [id, { hourly: builder.hourly, daily: builder.daily }])),
    ticks,
  };
}
