/**
 * `npm run bench -- detection`: how long from the onset of an outage to the first notification, when
 * probes run from GitHub Actions whose cron is late and sometimes skips a run. Simulates many outages
 * against the schedule of probe.yml in two modes:
 * - schedule-only: each scheduled job probes once, after its start-up;
 * - continuous: each job probes every `every` for `for`, and the next job (queued behind it in the
 *   concurrency group) takes over when it ends or when it finally starts, whichever is later;
 * - service: the probe loop runs on its own machine every `every`, with no schedule at all.
 * `npm run plan` uses the same model for the configuration at hand (schedule period, cadence, threshold).
 * Each probe run is decided by the engine itself (due checks, the check state machine with a failure
 * threshold of 2, the alert rules, notification planning); the notification follows after the run's
 * write and delivery time.
 * Schedule delays are drawn from a log-normal fitted to what users report (median about 3 minutes, a
 * long tail past 15 minutes) plus a share of runs that never start.
 */
import { decideCycle } from "../core/cycle.ts";
import { dueChecks } from "../core/due.ts";
import { normaliseProvider } from "../core/model.ts";
import type { Sample } from "../core/schema/records.ts";
import { alertRulesFile, configFile, providerFile } from "../schemas.ts";
import { emptyState } from "../store/state.ts";
import type { Bench } from "./bench.ts";
import { percentileOf, seededRandom } from "./random.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface Schedule {
  period: number;
  medianDelay: number;
  sigma: number;
  skipped: number;
  startup: number;
  notifyAfter: number;
}

export const ACTIONS_SCHEDULE: Schedule = { period: 5 * MINUTE, medianDelay: 3 * MINUTE, sigma: 0.9, skipped: 0.1, startup: 40 * SECOND, notifyAfter: 5 * SECOND };

/** How probe runs happen: the mode, the schedule's period, the pause between cycles and how long a continuous job lasts. */
export interface Probing {
  mode: "continuous" | "schedule" | "service";
  period: number;
  every: number;
  span: number;
}

/**
 * What a detection figure is for: the probing, and the checks' cadence and failure threshold, and `page.stale`
 * (runs further apart than `stale` × cadence start the check's streaks afresh).
 */
export interface DetectionScenario extends Probing {
  cadence: number;
  failureThreshold: number;
  stale: number;
}

/** What the bench measures: a 5-minute schedule, 30-second cycles for 5 minutes, a 30-second check. */
export const BENCH_SCENARIO: Omit<DetectionScenario, "mode"> = { period: 5 * MINUTE, every: 30 * SECOND, span: 5 * MINUTE, cadence: 30 * SECOND, failureThreshold: 2, stale: 3 };

/** Times at which probes run between `from` and `to`, given the probing. */
export function probeTimes(random: () => number, base: Schedule, probing: Probing, from: number, to: number): number[] {
  const { mode, every, span } = probing;
  if (mode === "service") {
    const times: number[] = [];
    for (let at = from - 30 * MINUTE + random() * every; at < to; at += every) times.push(at);
    return times;
  }
  const schedule = { ...base, period: probing.period };
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const times: number[] = [];
  let busyUntil = -Infinity;
  for (let slot = Math.floor((from - 30 * MINUTE) / schedule.period) * schedule.period; slot < to; slot += schedule.period) {
    if (random() < schedule.skipped) continue;
    const start = Math.max(slot + schedule.medianDelay * Math.exp(schedule.sigma * gaussian()), busyUntil) + schedule.startup;
    if (mode === "schedule") {
      times.push(start);
      continue;
    }
    const end = start + span;
    for (let at = start; at < end; at += every) times.push(at);
    busyUntil = end;
  }
  return times.filter((at) => at >= from - 30 * MINUTE).sort((a, b) => a - b);
}

/**
 * A workspace of one check at the scenario's cadence and failure threshold and the rule "down for 2 consecutive runs →
 * critical", routed to a webhook: what `decideCycle` needs to decide, run by run, when the outage is confirmed and notified.
 */
function benchModel(scenario: DetectionScenario) {
  const config = configFile.parse({
    page: { title: "bench", stale: scenario.stale },
    lanes: [{ id: "bench" }],
    routes: [{ id: "pager", channel: "webhook", url: "https://pager.example/hook" }],
    severityRoutes: { critical: ["pager"] },
  });
  const provider = normaliseProvider(
    providerFile.parse({
      id: "payments",
      name: "Payments",
      lane: "bench",
      owner: "Ops",
      kind: "system",
      readiness: "live",
      protects: "money",
      recovery: "roll back",
      evidence: { note: "bench" },
      checks: [{ id: "webhook", type: "http", url: "https://example.invalid/hook", cadence: `${scenario.cadence}ms`, failureThreshold: scenario.failureThreshold }],
    }),
    config.defaults,
  );
  const rules = alertRulesFile.parse({
    rules: [{ id: "down", description: "down", severity: "critical", checks: ["webhook"], condition: { type: "state", state: "down", for: 2 }, incident: false }],
  }).rules;
  return { config, providers: [provider], rules, incidents: [] };
}

/**
 * Seconds from onset to the first notification for each simulated outage: the real due-check selection
 * and the real decision of each probe run (state machine, rules, notification planning) at the probe
 * times the schedule model gives.
 */
export function detectionTimes(scenario: DetectionScenario, outages: number, seed: number): number[] {
  const random = seededRandom(seed);
  const model = benchModel(scenario);
  const checks = model.providers[0]!.checks;
  const results: number[] = [];
  // The window before the onset must hold enough runs to settle the check's state.
  const lead = Math.max(20 * MINUTE, 3 * scenario.period);
  for (let i = 0; i < outages; i++) {
    const onset = 24 * 60 * MINUTE + random() * 7 * 24 * 60 * MINUTE;
    const probes = probeTimes(random, ACTIONS_SCHEDULE, scenario, onset - lead, onset + 24 * 60 * MINUTE);
    let state = emptyState(new Date(onset - lead));
    const recent: Sample[] = [];
    for (const at of probes) {
      const now = new Date(Math.floor(at / SECOND) * SECOND);
      const due = dueChecks(checks, state.checks, "bench", now);
      for (const check of due) recent.push({ at: now.toISOString(), check: check.id, region: "bench", run: `r${at}`, state: at >= onset ? "down" : "up", latencyMs: 80 });
      const decision = decideCycle({ model, state, samples: recent.slice(-20), history: {}, now });
      state = { ...state, checks: decision.checks, alerts: decision.alerts, outbox: decision.outbox };
      if (decision.outbox.length > 0) {
        results.push((at + ACTIONS_SCHEDULE.notifyAfter - onset) / SECOND);
        break;
      }
    }
  }
  return results;
}

export const detection: Bench = {
  name: "detection",
  summary: "seconds from outage onset to first notification with Actions-like schedule delays, continuous vs schedule-only",
  options: { outages: { type: "string" } },
  async run({ values, terminal }) {
    const outages = Number(values.outages ?? 500);
    terminal.progress(`Simulating ${outages} outages per mode…`);
    const continuous = detectionTimes({ ...BENCH_SCENARIO, mode: "continuous" }, outages, 1);
    const scheduled = detectionTimes({ ...BENCH_SCENARIO, mode: "schedule" }, outages, 1);
    const round = (n: number) => Math.round(n);
    return {
      figures: {
        outages,
        failure_threshold: 2,
        p50_detection_s: round(percentileOf(continuous, 50)),
        p95_detection_s: round(percentileOf(continuous, 95)),
        schedule_only_p50_detection_s: round(percentileOf(scheduled, 50)),
        schedule_only_p95_detection_s: round(percentileOf(scheduled, 95)),
        target_p50_s: 60,
      },
    };
  },
};
