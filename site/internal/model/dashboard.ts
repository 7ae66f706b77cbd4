/**
 * The operations dashboard of playbook §6.1.4, with provider checks in place of orders: top row
 * (current status, 7-day uptime, active alerts, queue depths from json metrics), the last hour
 * (samples, errors, error rate, average latency, each against the hour before), the last 24 hours
 * (P50/P95/P99, error rate by provider, sample distribution by provider and region, throughput) and
 * 30-day trends from the daily rollups (completed from raw samples where a day has no rollup yet).
 */
import type { CheckBase } from "../../../scripts/core/model.ts";
import { bucketStart, summarise } from "../../../scripts/core/rollup.ts";
import type { Rollup, Sample } from "../../../scripts/core/schema/records.ts";
import { t } from "../../shared/strings.ts";
import { barChart, lineChart, type BarChart, type LineChart } from "./charts.ts";
import { absoluteTime, fill, latency, moment, percent, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";
import { percentileChart } from "./provider.ts";
import { signalRoom } from "./room.ts";
import { buckets, byCheck, DAY, HOUR, stats, within } from "./stats.ts";

export type Level = "green" | "yellow" | "red";

export interface Figure {
  label: string;
  value: string;
  /** Against the previous period, e.g. "+12 on the hour before". */
  trend?: string;
}

export interface DashboardView {
  status: { level: Level; label: string; reason: string };
  uptime7d: string;
  alerts: { firing: number; silenced: number; acknowledged: number; href: string };
  queues: { provider: string; href: string; check: string; metric: string; value: number; at: Moment }[];
  lastHour: Figure[];
  day: { percentiles: LineChart; errorRate: BarChart; throughput: LineChart; distribution: { regions: string[]; rows: { provider: string; href: string; counts: number[]; total: number }[] } };
  month: { uptime: LineChart; volume: LineChart; p95: LineChart; errorRate: LineChart };
}

function delta(current: number, previous: number, format: (value: number) => string): string {
  const difference = current - previous;
  if (difference === 0) return t("dashboard.same");
  return fill(t("dashboard.trend"), { delta: `${difference > 0 ? "+" : "−"}${format(Math.abs(difference))}` });
}

/**
 * Daily totals over all checks for the last `days` days, oldest first; no rollup where there is no data.
 * Each check's daily rollups are used as the engine wrote them; a day without one (not rolled up yet) is
 * computed from the raw samples of that day.
 */
export function dailyTotals<C extends CheckBase>(data: RoomData<C>, days: number): { start: number; rollup?: Rollup & { slowestP95?: number } }[] {
  const today = Date.parse(bucketStart(data.now, "day"));
  const starts = Array.from({ length: days }, (_, index) => today - (days - 1 - index) * DAY);
  const samplesOf = byCheck(data.samples);
  const perCheck = data.model.providers.flatMap((provider) => provider.checks).map((check) => {
    const byDay = new Map<string, Rollup>((data.rollups[check.id]?.daily ?? []).map((entry) => [entry.start, entry]));
    const missing = new Map<string, Sample[]>();
    for (const sample of samplesOf.get(check.id) ?? []) {
      const day = `${sample.at.slice(0, 10)}T00:00:00.000Z`;
      if (byDay.has(day)) continue;
      const group = missing.get(day);
      if (group) group.push(sample);
      else missing.set(day, [sample]);
    }
    for (const [day, group] of missing) byDay.set(day, summarise(group, day, "day", check.cadence));
    return byDay;
  });
  return starts.map((start) => {
    const key = new Date(start).toISOString();
    const entries = perCheck.map((byDay) => byDay.get(key)).filter((entry): entry is Rollup => entry !== undefined);
    if (entries.length === 0) return { start };
    const sum = (field: "count" | "up" | "degraded" | "down" | "error" | "downtimeMinutes") => entries.reduce((total, entry) => total + entry[field], 0);
    const p95s = entries.map((entry) => entry.p95).filter((value): value is number => value !== undefined);
    return {
      start,
      rollup: {
        start: key,
        count: sum("count"),
        up: sum("up"),
        degraded: sum("degraded"),
        down: sum("down"),
        error: sum("error"),
        downtimeMinutes: sum("downtimeMinutes"),
        slowestP95: p95s.length === 0 ? undefined : Math.max(...p95s),
      },
    };
  });
}

export function buildDashboardView<C extends CheckBase>(data: RoomData<C>, href: Href): DashboardView {
  const { model, now } = data;
  const timeZone = model.config.page.timezone;
  const room = signalRoom(data);
  const blocked = room.providers.filter((provider) => provider.signal.class === "blocked");
  const degraded = room.providers.filter((provider) => provider.signal.class === "degraded");
  const level: Level = blocked.length > 0 ? "red" : degraded.length > 0 ? "yellow" : "green";
  const names = (list: typeof blocked) => list.map((provider) => provider.name).join(", ");
  const alerts = Object.values(data.state.alerts);

  const checkOwner = new Map(model.providers.flatMap((provider) => provider.checks.map((check) => [check.id, { provider, check }] as const)));
  const jsonChecks = model.providers.flatMap((provider) => provider.checks.filter((check) => check.type === "json"));
  const samplesOf = byCheck(data.samples);
  const queues = jsonChecks.flatMap((check) => {
    // The check state keeps the newest metrics; the newest sample with metrics stands in for older states.
    const checkState = data.state.checks[check.id];
    const sample = (samplesOf.get(check.id) ?? []).filter((entry) => entry.metrics).at(-1);
    const latest = checkState?.lastMetrics && checkState.lastSampleAt ? { metrics: checkState.lastMetrics, at: checkState.lastSampleAt } : sample && { metrics: sample.metrics!, at: sample.at };
    const owner = checkOwner.get(check.id)!;
    return Object.entries(latest?.metrics ?? {})
      .filter(([metric]) => metric.includes("queue") && !metric.includes("age"))
      .map(([metric, value]) => ({
        provider: owner.provider.name,
        href: href(`providers/${owner.provider.id}/#check-${check.id}`),
        check: check.name,
        metric,
        value,
        at: moment(latest!.at, now, timeZone),
      }));
  });

  const hour = stats(within(data.samples, HOUR, now));
  const before = stats(within(data.samples, HOUR, new Date(now.getTime() - HOUR)));
  const lastDay = within(data.samples, DAY, now);
  const dayOf = byCheck(lastDay);
  const providersWithSamples = model.providers.filter((provider) => provider.checks.some((check) => dayOf.has(check.id)));
  const providerSamples = (provider: (typeof model.providers)[number]) => provider.checks.flatMap((check) => dayOf.get(check.id) ?? []);
  const regions = [...new Set(lastDay.map((sample) => sample.region))].sort();
  const hourLabel = (x: number) => absoluteTime(new Date(x).toISOString(), timeZone).slice(11, 16);
  const dayLabel = (x: number) => absoluteTime(new Date(x).toISOString(), timeZone).slice(5, 10);
  const hours = buckets(lastDay, DAY, HOUR, now);
  const month = dailyTotals(data, 30);
  const monthChart = (title: string, name: string, value: (rollup: NonNullable<(typeof month)[number]["rollup"]>) => number | undefined, yLabel: (y: number) => string, yMax?: number) =>
    lineChart({
      title,
      series: [{ name, tone: "p95", points: month.map((day) => ({ x: day.start, y: day.rollup ? value(day.rollup) : undefined })) }],
      from: month[0]!.start,
      to: month.at(-1)!.start,
      xLabel: dayLabel,
      yLabel,
      xTickEvery: 7 * DAY,
      yMax,
    });
  const measured = (rollup: Rollup) => rollup.up + rollup.degraded + rollup.down;

  return {
    status: {
      level,
      label: t(`dashboard.level.${level}`),
      reason:
        level === "red"
          ? fill(t("dashboard.reason.blocked"), { names: names(blocked) })
          : level === "yellow"
            ? fill(t("dashboard.reason.degraded"), { names: names(degraded) })
            : t("dashboard.reason.green"),
    },
    uptime7d: percent(stats(within(data.samples, 7 * DAY, now)).uptime, 3),
    alerts: {
      firing: alerts.filter((alert) => alert.state === "firing" && !alert.muted).length,
      silenced: alerts.filter((alert) => alert.state === "firing" && alert.muted).length,
      acknowledged: alerts.filter((alert) => alert.state === "firing" && alert.acknowledgedAt).length,
      href: href("alerts/"),
    },
    queues,
    lastHour: [
      { label: t("dashboard.samples"), value: String(hour.count), trend: delta(hour.count, before.count, String) },
      { label: t("dashboard.errors"), value: String(hour.failing), trend: delta(hour.failing, before.failing, String) },
      {
        label: t("dashboard.errorRate"),
        value: percent(hour.errorRate),
        trend: hour.errorRate === undefined || before.errorRate === undefined ? undefined : delta(hour.errorRate, before.errorRate, (value) => fill(t("dashboard.points"), { points: Math.round(value * 1000) / 10 })),
      },
      {
        label: t("dashboard.averageLatency"),
        value: latency(hour.averageMs),
        trend: hour.averageMs === undefined || before.averageMs === undefined ? undefined : delta(hour.averageMs, before.averageMs, latency),
      },
    ],
    day: {
      percentiles: percentileChart(t("dashboard.percentiles"), lastDay, now, timeZone),
      errorRate: barChart({
        title: t("dashboard.errorByProvider"),
        head: [t("dashboard.provider"), t("dashboard.errorRate")],
        bars: providersWithSamples.map((provider) => {
          const rate = stats(providerSamples(provider)).errorRate;
          return { label: provider.name, value: rate, display: percent(rate), tone: rate && rate > 0.05 ? "bar-bad" : "bar" };
        }),
        max: 1,
      }),
      throughput: lineChart({
        title: t("dashboard.throughput"),
        series: [{ name: t("dashboard.samplesPerHour"), tone: "p50", points: hours.map((entry) => ({ x: entry.start, y: entry.stats.count })) }],
        from: now.getTime() - DAY,
        to: now.getTime(),
        xLabel: hourLabel,
        yLabel: (y) => String(Math.round(y)),
        xTickEvery: 4 * HOUR,
      }),
      distribution: {
        regions,
        rows: providersWithSamples.map((provider) => {
          const own = providerSamples(provider);
          return { provider: provider.name, href: href(`providers/${provider.id}/`), counts: regions.map((region) => own.filter((sample) => sample.region === region).length), total: own.length };
        }),
      },
    },
    month: {
      uptime: monthChart(t("dashboard.trend.uptime"), t("dashboard.uptime"), (rollup) => (measured(rollup) === 0 ? undefined : ((rollup.up + rollup.degraded) / measured(rollup)) * 100), (y) => `${Math.round(y * 10) / 10}%`, 100),
      volume: monthChart(t("dashboard.trend.volume"), t("dashboard.samples"), (rollup) => rollup.count, (y) => String(Math.round(y))),
      p95: monthChart(t("dashboard.trend.p95"), "P95", (rollup) => rollup.slowestP95, latency),
      errorRate: monthChart(t("dashboard.trend.errorRate"), t("dashboard.errorRate"), (rollup) => (rollup.count === 0 ? undefined : ((rollup.down + rollup.error) / rollup.count) * 100), (y) => `${Math.round(y * 10) / 10}%`),
    },
  };
}
