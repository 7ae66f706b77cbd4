/**
 * Alert quality: replays 30 days of a synthetic, seeded trace of 20 checks (one run a minute) through the
 * default rules and counts what operators would have got. Noise: 2 % random single failures, isolated latency
 * spikes, missed single heartbeats and one check that flaps for hours on three days. Eight real outages of
 * different shapes. Targets: every outage detected, no false notification, detection within 2 runs of onset.
 */
import { replay } from "../core/alerts/replay.ts";
import type { AlertRule, Config } from "../core/model.ts";
import type { Sample } from "../core/schema/records.ts";
import { alertRulesFile } from "../core/schema/alert-rules.ts";
import { normaliseProvider } from "../core/model.ts";
import { providerFile } from "../schemas.ts";
import { loadWorkspace, type Provider } from "../workspace.ts";
import type { Bench } from "./bench.ts";
import { seededRandom } from "./random.ts";

const MINUTE = 60_000;
const DAYS = 30;
const START = Date.parse("2026-10-01T00:00:00Z");
const OBJECTIVE_MS = 500;

type Kind = "http" | "json" | "heartbeat";
interface SyntheticCheck {
  id: string;
  provider: string;
  kind: Kind;
}

const CHECKS: SyntheticCheck[] = Array.from({ length: 20 }, (_, index) => ({
  id: `check-${String(index + 1).padStart(2, "0")}`,
  provider: `provider-${Math.floor(index / 4) + 1}`,
  kind: index === 18 || index === 19 ? "heartbeat" : index === 16 || index === 17 ? "json" : "http",
}));
const FLAPPING = "check-07";

export interface Outage {
  check: string;
  shape: string;
  /** Minute index of the first bad run. */
  start: number;
  length: number;
}

/** Eight outages of different shapes, on different checks and days (minute offsets from the start). */
export const OUTAGES: Outage[] = [
  { check: "check-01", shape: "hard down for 45 minutes", start: 2 * 1440 + 600, length: 45 },
  { check: "check-02", shape: "short outage of 3 runs", start: 5 * 1440 + 185, length: 3 },
  { check: "check-03", shape: "slow: responses over the objective for 40 minutes", start: 8 * 1440 + 900, length: 40 },
  { check: "check-04", shape: "intermittent: two of three runs fail for 30 minutes", start: 11 * 1440 + 720, length: 30 },
  { check: "check-05", shape: "slow, then down (gradual)", start: 14 * 1440 + 300, length: 50 },
  { check: "check-17", shape: "queue backing up past 100 for 30 minutes", start: 17 * 1440 + 480, length: 30 },
  { check: "check-19", shape: "heartbeat silent for 2 hours", start: 21 * 1440 + 60, length: 120 },
  { check: "check-09", shape: "overnight outage of 90 minutes, in quiet hours", start: 25 * 1440 + 22 * 60 + 30, length: 90 },
];

function outageSample(outage: Outage, offset: number): { state: Sample["state"]; latencyMs?: number; metric?: number; silent?: boolean } {
  switch (outage.shape) {
    case "slow: responses over the objective for 40 minutes":
      return { state: "degraded", latencyMs: 1500 + offset * 10 };
    case "intermittent: two of three runs fail for 30 minutes":
      return offset % 3 === 2 ? { state: "up", latencyMs: 300 } : { state: "down" };
    case "slow, then down (gradual)":
      return offset < 15 ? { state: "degraded", latencyMs: 900 + offset * 100 } : { state: "down" };
    case "queue backing up past 100 for 30 minutes":
      return { state: "up", latencyMs: 120, metric: 110 + offset * 5 };
    case "heartbeat silent for 2 hours":
      return { state: "up", silent: true };
    default:
      return { state: "down" };
  }
}

/** The month of samples, oldest first. Noise never lands next to other noise, so it stays "single". */
export function syntheticTrace(seed = 4): Sample[] {
  const next = seededRandom(seed);
  const samples: Sample[] = [];
  for (const check of CHECKS) {
    let previousNoise = false;
    for (let minute = 0; minute < DAYS * 1440; minute++) {
      const at = new Date(START + minute * MINUTE).toISOString();
      const base: Sample = { at, check: check.id, region: "bench", run: at, state: "up", latencyMs: Math.round(80 + next() * 120) };
      const outage = OUTAGES.find((o) => o.check === check.id && minute >= o.start && minute < o.start + o.length);
      if (outage) {
        const bad = outageSample(outage, minute - outage.start);
        if (bad.silent) continue;
        samples.push({ ...base, state: bad.state, latencyMs: bad.latencyMs, ...(check.kind === "json" && { metrics: { queue_depth: bad.metric ?? 20 } }) });
        previousNoise = true;
        continue;
      }
      const day = Math.floor(minute / 1440);
      const flapping = check.id === FLAPPING && [4, 12, 20].includes(day) && minute % 1440 >= 600 && minute % 1440 < 780;
      let sample: Sample | undefined = { ...base };
      if (flapping) sample.state = minute % 2 === 0 ? "down" : "up";
      else if (!previousNoise && next() < 0.02) {
        if (check.kind === "heartbeat") sample = undefined;
        else sample.state = "down";
      } else if (!previousNoise && check.kind === "http" && next() < 0.01) {
        sample.latencyMs = 2000 + Math.round(next() * 3000);
        sample.state = "degraded";
      }
      previousNoise = !sample || sample.state !== "up";
      if (sample?.state === "down") delete sample.latencyMs;
      if (sample && check.kind === "json") sample.metrics = { queue_depth: Math.round(10 + next() * 30) };
      if (sample) samples.push(sample);
    }
  }
  return samples.sort((a, b) => a.at.localeCompare(b.at) || a.check.localeCompare(b.check));
}

function providers(): Provider[] {
  const ids = [...new Set(CHECKS.map((check) => check.provider))];
  return ids.map((id) => {
    const file = providerFile.parse({
      id,
      name: id.replace("provider-", "Provider "),
      lane: "api",
      owner: "Platform",
      kind: "system",
      readiness: "live",
      protects: "Bench traffic",
      recovery: "Check the bench",
      evidence: { note: "Synthetic." },
      checks: CHECKS.filter((check) => check.provider === id).map((check) =>
        check.kind === "heartbeat"
          ? { id: check.id, type: "heartbeat", window: "1m", cadence: "1m" }
          : check.kind === "json"
            ? { id: check.id, type: "json", url: "http://127.0.0.1:9/", metrics: { queue_depth: "queue.depth" }, cadence: "1m" }
            : { id: check.id, type: "http", url: "http://127.0.0.1:9/", cadence: "1m", latencyObjective: `${OBJECTIVE_MS}ms` },
      ),
    });
    return normaliseProvider(file, { cadence: MINUTE, timeout: 10_000, retries: 1, failureThreshold: 2, recoveryThreshold: 2 });
  });
}

/** The default rules every check gets: down for 2 runs, slow for 2 runs, queue over 100, heartbeat silent past 90 s. */
export function defaultRules(): AlertRule[] {
  const rules = CHECKS.flatMap((check): Record<string, unknown>[] => {
    const own = { checks: [check.id], description: `${check.id} needs attention.` };
    if (check.kind === "heartbeat") return [{ ...own, id: `silent-${check.id}`, severity: "high", condition: { type: "absence", for: "90s" } }];
    const down = { ...own, id: `down-${check.id}`, severity: Number(check.id.slice(-2)) <= 4 ? "critical" : "high", condition: { type: "state", state: "down", for: 2 }, minFiring: "5m" };
    if (check.kind === "json") return [down, { ...own, id: `queue-${check.id}`, severity: "high", condition: { type: "metric", metric: "queue_depth", above: 100, clearAt: 50 } }];
    return [down, { ...own, id: `slow-${check.id}`, severity: "warning", condition: { type: "state", state: "degraded", for: 2 }, minFiring: "5m" }];
  });
  return alertRulesFile.parse({ rules }).rules;
}

export interface AlertQuality {
  outages: number;
  detected: number;
  false_notifications: number;
  mean_detection_runs: number;
  notifications_sent: number;
  runs: number;
  samples: number;
  per_outage: { shape: string; detected: boolean; detection_runs?: number }[];
}

export function measureAlertQuality(config: Config, rules: AlertRule[] = defaultRules(), seed = 4): AlertQuality {
  const samples = syntheticTrace(seed);
  const runs = Array.from({ length: DAYS * 1440 }, (_, minute) => new Date(START + minute * MINUTE));
  const detections = new Map<Outage, number>();
  let falseNotifications = 0;
  let notificationsSent = 0;
  // A firing that starts inside an outage (or within two runs after it, the recovery threshold) is a true one.
  const outageOf = (check: string, minute: number) => OUTAGES.find((o) => o.check === check && minute >= o.start && minute < o.start + o.length + 2);
  const trueEpisodes = new Set<string>();
  for (const step of replay({ rules, config, providers: providers(), routes: config.routes, incidents: [], samples, runs })) {
    const minute = Math.round((step.at.getTime() - START) / MINUTE);
    for (const event of step.events) {
      if (event.type !== "fired") continue;
      const rule = rules.find((candidate) => candidate.id === event.rule)!;
      const outage = outageOf(rule.checks[0]!, minute);
      if (!outage) continue;
      trueEpisodes.add(event.episode);
      if (!detections.has(outage)) detections.set(outage, minute - outage.start + 1);
    }
    notificationsSent += step.notifications.length;
    falseNotifications += step.notifications.filter((entry) => entry.items.some((item) => item.kind === "trigger" && !trueEpisodes.has(item.alert))).length;
  }
  const detected = [...detections.values()];
  return {
    outages: OUTAGES.length,
    detected: detected.length,
    false_notifications: falseNotifications,
    mean_detection_runs: detected.length ? Math.round((detected.reduce((sum, runs) => sum + runs, 0) / detected.length) * 100) / 100 : 0,
    notifications_sent: notificationsSent,
    runs: runs.length,
    samples: samples.length,
    per_outage: OUTAGES.map((outage) => ({ shape: outage.shape, detected: detections.has(outage), detection_runs: detections.get(outage) })),
  };
}

export const alertsBench: Bench = {
  name: "alerts",
  summary: "Alert quality: 30 days of 20 noisy checks with 8 outages through the default rules.",
  async run({ repo, terminal }) {
    const { workspace } = await loadWorkspace(repo);
    if (!workspace) throw new Error("the repository's example configuration does not load; run npm run validate");
    terminal.progress("alerts: replaying 30 days of 20 checks…");
    const { per_outage: perOutage, ...figures } = measureAlertQuality(workspace.config);
    const width = Math.max(...Object.keys(figures).map((key) => key.length));
    return {
      figures,
      lines: [
        ...Object.entries(figures).map(([key, value]) => `${key.padEnd(width)}  ${value}`),
        ...perOutage.map((outage) => `  ${outage.detected ? `detected in ${outage.detection_runs} run${outage.detection_runs === 1 ? "" : "s"}` : "MISSED"}: ${outage.shape}`),
      ],
    };
  },
};
