/**
 * One provider's page: its signal, every check with its live state and failed conditions, recent
 * samples, latency percentiles, error rate and uptime over 1 h / 24 h / 7 d, incidents, alert rules
 * with their state, maintenance and the runbook.
 */
import type { CheckBase, Incident, Provider, ResolvedCheck } from "../../../scripts/core/model.ts";
import type { Sample } from "../../../scripts/core/schema/records.ts";
import { t } from "../../shared/strings.ts";
import { lineChart, type LineChart } from "./charts.ts";
import { absoluteTime, fill, latency, moment, optionalMoment, percent, span, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";
import { buildRoomView, type QueueEntry } from "./room.ts";
import { ruleRows, type RuleRow } from "./alerts.ts";
import { incidentSummary, type IncidentSummary } from "./incidents.ts";
import { buckets, byCheck, DAY, HOUR, stats, within, type WindowStats } from "./stats.ts";

export const WINDOWS = [
  { label: "1 h", ms: HOUR },
  { label: "24 h", ms: DAY },
  { label: "7 d", ms: 7 * DAY },
] as const;

export interface WindowRow {
  label: string;
  samples: number;
  p50: string;
  p95: string;
  p99: string;
  errorRate: string;
  uptime: string;
}

export interface CheckView {
  id: string;
  name: string;
  type: string;
  description?: string;
  target?: string;
  enabled: boolean;
  cadence: string;
  timeout: string;
  thresholds: string;
  objective?: string;
  status: string;
  since?: Moment;
  lastSample?: Moment;
  lastLatency: string;
  lastStatusCode?: number;
  lastError?: string;
  lastSuccess?: Moment;
  lastFailure?: Moment;
  streak: string;
  failedConditions: { text: string; actual?: string }[];
  regions: { region: string; status: string; since: Moment; lastSample: Moment }[];
  /** The newest metrics a json check read, e.g. queue depth and payload count. */
  metrics: { name: string; value: number }[];
  windows: WindowRow[];
  chart: LineChart;
}

export interface SampleRow {
  at: Moment;
  check: string;
  region: string;
  state: string;
  latency: string;
  status?: number;
  detail: string;
}

export interface ProviderView {
  entry: QueueEntry;
  kind: string;
  readiness: string;
  readinessTasks: { task: string; done: boolean }[];
  checks: CheckView[];
  samples: SampleRow[];
  incidents: IncidentSummary[];
  maintenance: IncidentSummary[];
  rules: RuleRow[];
  runbook?: NonNullable<Provider["runbook"]>;
}

export function windowRow(label: string, figures: WindowStats): WindowRow {
  return {
    label,
    samples: figures.count,
    p50: latency(figures.p50),
    p95: latency(figures.p95),
    p99: latency(figures.p99),
    errorRate: percent(figures.errorRate),
    uptime: percent(figures.uptime, 3),
  };
}

/** Where a check points, without credentials (a literal connection string may hold them). */
export function targetOf(check: CheckBase): string | undefined {
  const fields = check as CheckBase & { url?: unknown; host?: unknown; port?: unknown; name?: unknown };
  const raw = typeof fields.url === "string" ? fields.url : typeof fields.host === "string" ? `${fields.host}${fields.port === undefined ? "" : `:${String(fields.port)}`}` : undefined;
  return raw?.replace(/\/\/[^/@\s]*@/, "//…@").replace(/\?.*$/, "");
}

/** A sample's own words for what went wrong: its error, else the conditions that failed. */
export function sampleDetail(sample: Sample): string {
  if (sample.error) return sample.error;
  const failed = (sample.conditions ?? []).filter((condition) => !condition.ok);
  return failed.map((condition) => `${condition.text} ✗${condition.actual === undefined ? "" : ` ${condition.actual}`}`).join("; ");
}

function checkView(check: ResolvedCheck, data: RoomData, own: readonly Sample[]): CheckView {
  const { now } = data;
  const timeZone = data.model.config.page.timezone;
  const state = data.state.checks[check.id];
  return {
    id: check.id,
    name: check.name,
    type: check.type,
    description: check.description,
    target: targetOf(check),
    enabled: check.enabled,
    cadence: span(check.cadence),
    timeout: span(check.timeout),
    thresholds: fill(t("check.thresholds"), { fail: check.failureThreshold, recover: check.recoveryThreshold, retries: check.retries }),
    objective: check.latencyObjective === undefined ? undefined : span(check.latencyObjective),
    status: check.enabled ? (state?.status ?? "unknown") : t("check.disabled"),
    since: optionalMoment(state?.since, now, timeZone),
    lastSample: optionalMoment(state?.lastSampleAt, now, timeZone),
    lastLatency: latency(state?.lastLatencyMs),
    lastStatusCode: state?.lastStatusCode,
    lastError: state?.lastError,
    lastSuccess: optionalMoment(state?.lastSuccessAt, now, timeZone),
    lastFailure: optionalMoment(state?.lastFailureAt, now, timeZone),
    streak: !state ? "–" : state.failStreak > 0 ? fill(t("check.failStreak"), { count: state.failStreak }) : fill(t("check.okStreak"), { count: state.okStreak }),
    failedConditions: (state?.failedConditions ?? []).filter((condition) => !condition.ok).map(({ text, actual }) => ({ text, actual })),
    regions: Object.entries(state?.regions ?? {}).map(([region, entry]) => ({
      region,
      status: entry.status,
      since: moment(entry.since, now, timeZone),
      lastSample: moment(entry.lastSampleAt, now, timeZone),
    })),
    metrics: Object.entries(state?.lastMetrics ?? {}).map(([name, value]) => ({ name, value })),
    windows: WINDOWS.map((window) => windowRow(window.label, stats(within(own, window.ms, now)))),
    chart: percentileChart(fill(t("provider.chart"), { name: check.name }), own, now, timeZone),
  };
}

/** P50 / P95 / P99 per hour over the last 24 hours. */
export function percentileChart(title: string, samples: readonly Sample[], now: Date, timeZone: string): LineChart {
  const hours = buckets(samples, DAY, HOUR, now);
  return lineChart({
    title,
    series: (["p50", "p95", "p99"] as const).map((key) => ({
      name: key.toUpperCase(),
      tone: key,
      points: hours.map((hour) => ({ x: hour.start, y: hour.stats[key] })),
    })),
    from: now.getTime() - DAY,
    to: now.getTime(),
    xLabel: (x) => absoluteTime(new Date(x).toISOString(), timeZone).slice(11, 16),
    yLabel: (y) => latency(y),
    xTickEvery: 4 * HOUR,
  });
}

export function buildProviderViews<C extends CheckBase>(data: RoomData<C>, href: Href, recentCount = 25): ProviderView[] {
  const room = buildRoomView(data, href);
  const { model, now } = data;
  const timeZone = model.config.page.timezone;
  const rules = ruleRows(data, href);
  const concerns = (incident: Incident, provider: Provider<C>) => incident.frontmatter.providers.includes(provider.id);
  const samplesOf = byCheck(data.samples);
  return model.providers.map((provider) => {
    const samples = provider.checks.flatMap((check) => samplesOf.get(check.id) ?? []).sort((a, b) => a.at.localeCompare(b.at));
    const checkNames = new Map(provider.checks.map((check) => [check.id, check.name]));
    return {
      entry: room.queue.find((entry) => entry.id === provider.id)!,
      kind: provider.kind,
      readiness: provider.readiness,
      readinessTasks: provider.readinessTasks,
      checks: provider.checks.map((check) => checkView(check, data, samplesOf.get(check.id) ?? [])),
      samples: samples
        .slice(-recentCount)
        .reverse()
        .map((sample) => ({
          at: moment(sample.at, now, timeZone),
          check: checkNames.get(sample.check) ?? sample.check,
          region: sample.region,
          state: sample.state,
          latency: latency(sample.latencyMs),
          status: sample.status,
          detail: sampleDetail(sample),
        })),
      incidents: model.incidents
        .filter((incident) => incident.frontmatter.kind === "incident" && concerns(incident, provider))
        .map((incident) => incidentSummary(incident, data, href)),
      maintenance: model.incidents
        .filter((incident) => incident.frontmatter.kind === "maintenance" && concerns(incident, provider))
        .map((incident) => incidentSummary(incident, data, href)),
      rules: rules.filter((rule) => rule.providerIds.includes(provider.id)),
      runbook: provider.runbook,
    };
  });
}
