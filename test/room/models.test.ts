/**
 * The room's view models, one scenario at a time, on the example configuration with hand-made live data:
 * what each screen says must follow from the files, including the edges (no data, capped pages,
 * suppression that ended, a day with rollups but no samples).
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { AlertRule } from "../../scripts/core/model.ts";
import type { LogEntry, Sample, StateFile } from "../../scripts/core/schema/records.ts";
import { emptyState } from "../../scripts/store/state.ts";
import { loadWorkspace, type Workspace } from "../../scripts/workspace.ts";
import { buildAlertsView } from "../../site/internal/model/alerts.ts";
import { lineChart } from "../../site/internal/model/charts.ts";
import { buildDashboardView, dailyTotals } from "../../site/internal/model/dashboard.ts";
import { absoluteTime, latency, percent, points, relativeTime } from "../../site/internal/model/format.ts";
import { incidentDetail } from "../../site/internal/model/incidents.ts";
import type { RoomData } from "../../site/internal/model/input.ts";
import { renderMarkdown } from "../../site/internal/model/markdown.ts";
import { targetOf } from "../../site/internal/model/provider.ts";
import { buildRoomView, evidenceStatus, readinessPhrase, staleWarning } from "../../site/internal/model/room.ts";
import { describeCondition } from "../../site/internal/model/rules.ts";
import { buildLogView } from "../../site/internal/model/runlog.ts";
import { buckets, stats } from "../../site/internal/model/stats.ts";
import { REPO } from "../helpers/workspace.ts";

const now = new Date("2026-11-20T12:00:00Z");
const href = (path: string) => `/room/${path}`;
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let workspace: Workspace;
beforeAll(async () => {
  const loaded = await loadWorkspace(REPO);
  workspace = loaded.workspace!;
});

function data(extra: Partial<RoomData> = {}): RoomData {
  return { model: workspace, state: emptyState(now), samples: [], rollups: {}, log: [], now, ...extra };
}

const sample = (check: string, state: Sample["state"], at: string, extra: Partial<Sample> = {}): Sample => ({ at, check, region: "eu", run: "r", state, ...extra });

describe("how times and figures read", () => {
  test("relative times around each boundary, past and future", () => {
    expect([59_999, MINUTE, 59 * MINUTE + 59_000, HOUR, 2 * DAY + HOUR].map((delta) => relativeTime(ago(delta), now))).toEqual([
      "Just now",
      "1 minute ago",
      "59 minutes ago",
      "1 hour ago",
      "2 days ago",
    ]);
    expect(relativeTime(new Date(now.getTime() + 4 * MINUTE).toISOString(), now)).toBe("in 4 minutes");
  });

  test("absolute times in the room's time zone", () => {
    expect(absoluteTime("2026-11-20T11:05:00Z", "UTC")).toBe("2026-11-20 11:05 UTC");
    expect(absoluteTime("2026-11-20T23:30:00Z", "Europe/Berlin")).toBe("2026-11-21 00:30 CET");
  });

  test("percentages never round up to a false 100 %, latencies switch to seconds", () => {
    expect(percent(0.99999, 3)).toBe("99.999%");
    expect(percent(1)).toBe("100%");
    expect(percent(0.5)).toBe("50%");
    expect(percent(undefined)).toBe("–");
    expect([84.4, 999, 1250, 12_500].map(latency)).toEqual(["84 ms", "999 ms", "1.25 s", "12.5 s"]);
    expect([95, -12.44, 0.01].map(points)).toEqual(["+95", "−12.4", "0"]);
  });
});

describe("the seed's wording for providers", () => {
  test("the last-signal phrase of every kind and readiness without samples", () => {
    const table = (["api", "webhook", "integration", "system"] as const).map((kind) => (["planned", "documented", "live", "active"] as const).map((readiness) => readinessPhrase({ kind, readiness })));
    expect(table).toEqual([
      ["Contract planned", "Contract documented", "Live API surface", "Live API surface"],
      ["Delivery not yet wired", "Delivery documented", "Delivery wired", "Delivery active"],
      ["Not connected yet", "Connection documented", "Connection expected to be usable", "Connected"],
      ["System planned", "System documented", "Waiting for the first probe", "Waiting for the first probe"],
    ]);
  });

  test("evidence status: readiness until measured, health words for systems, failing when blocked", () => {
    expect(evidenceStatus({ kind: "system", readiness: "live" }, "operational")).toBe("healthy");
    expect(evidenceStatus({ kind: "system", readiness: "live" }, "degraded")).toBe("watch");
    expect(evidenceStatus({ kind: "integration", readiness: "live" }, "degraded")).toBe("needs attention");
    expect(evidenceStatus({ kind: "webhook", readiness: "active" }, "operational")).toBe("active");
    expect(evidenceStatus({ kind: "api", readiness: "documented" }, "degraded")).toBe("documented");
    expect(evidenceStatus({ kind: "webhook", readiness: "live" }, "blocked")).toBe("failing");
    expect(evidenceStatus({ kind: "webhook", readiness: "planned" }, "planned")).toBe("planned");
  });

  test("every screen warns while probe runs have stopped landing", () => {
    const landed = (at: string) => data({ state: { ...emptyState(now), lastRun: { id: "r", at, region: "eu", durationMs: 1, checks: 9 } } });
    expect(staleWarning(landed(ago(10 * MINUTE)))).toBeUndefined();
    // The example waits 12 cadences, since probe.yml lands a run every 30 minutes.
    expect(staleWarning(landed(ago(HOUR)))).toBeUndefined();
    expect(staleWarning(landed(ago(2 * HOUR)))).toMatch(/^No probe run has landed for 2h \(last: 2026-11-20T10:00:00.000Z; limit 1h = 12 × 5m\)/);
    expect(staleWarning(data())).toMatch(/^No probe run has landed yet/);
  });

  test("a check's target never shows credentials", () => {
    const base = { id: "c", enabled: true };
    expect(targetOf({ ...base, type: "postgres", url: "postgres://app:hunter2@db.internal:5432/app?sslmode=require" } as never)).toBe("postgres://…@db.internal:5432/app");
    expect(targetOf({ ...base, type: "tcp", host: "${env:HOST}", port: 5432 } as never)).toBe("${env:HOST}:5432");
    expect(targetOf({ ...base, type: "heartbeat" } as never)).toBeUndefined();
  });
});

describe("alert rules in words", () => {
  test("every condition type", () => {
    const text = (condition: unknown) => describeCondition(condition as AlertRule["condition"]);
    expect(text({ type: "state", state: "down", for: 1 })).toBe("down for 1 consecutive run");
    expect(text({ type: "errors", count: 10, within: HOUR })).toBe("10 failing samples within 1h");
    expect(text({ type: "errorRate", window: 15 * MINUTE, above: 10, clearBelow: 5, minSamples: 5 })).toBe("error rate above 10% over 15m (clears below 5%), at least 5 samples");
    expect(text({ type: "latency", percentile: 95, window: 15 * MINUTE, above: 800, clearBelow: 600, minSamples: 3 })).toBe("P95 above 800ms over 15m (clears below 600ms)");
    expect(text({ type: "metric", metric: "delivered", window: 10 * MINUTE, below: 1 })).toBe("sum of delivered over 10m below 1");
    expect(text({ type: "metric", metric: "queue_depth", above: 100, clearAt: 50 })).toBe("queue_depth above 100 (clears at 50)");
    expect(text({ type: "absence", for: 10 * MINUTE })).toBe("no sample or heartbeat for 10m");
    expect(text({ type: "anomaly", metric: "failed", window: DAY, baseline: 30 * DAY, factor: 1.5 })).toBe("failed over 1d above 1.5 × its 30d baseline");
  });
});

describe("figures over samples", () => {
  test("errors count probe errors, uptime leaves them out", () => {
    const figures = stats([sample("c", "up", ago(1), { latencyMs: 100 }), sample("c", "down", ago(2)), sample("c", "error", ago(3)), sample("c", "degraded", ago(4), { latencyMs: 300 })]);
    expect(figures).toMatchObject({ count: 4, failing: 2, errorRate: 0.5, uptime: 2 / 3, averageMs: 200, p50: 100, p99: 300 });
    expect(stats([])).toMatchObject({ count: 0, errorRate: undefined, uptime: undefined, p95: undefined });
  });

  test("hour buckets end at the current hour and keep each sample in its own hour", () => {
    const at = new Date("2026-11-20T11:30:00Z");
    const hours = buckets([sample("c", "up", "2026-11-20T09:59:59Z"), sample("c", "up", "2026-11-20T10:00:00Z"), sample("c", "down", "2026-11-20T11:29:00Z")], 3 * HOUR, HOUR, at);
    expect(hours.map((hour) => [new Date(hour.start).toISOString().slice(11, 16), hour.stats.count])).toEqual([
      ["09:00", 1],
      ["10:00", 1],
      ["11:00", 1],
    ]);
  });

  test("a line chart breaks where a bucket has no data and repeats its figures as a table", () => {
    const chart = lineChart({
      title: "t",
      series: [{ name: "P95", tone: "p95", points: [{ x: 0, y: 100 }, { x: 1, y: undefined }, { x: 2, y: 300 }, { x: 3, y: 250 }] }],
      from: 0,
      to: 3,
      xLabel: String,
      yLabel: (y) => `${y} ms`,
      xTickEvery: 1,
    });
    expect(chart.series[0]!.d.match(/M/g)).toHaveLength(2);
    expect(chart.yTicks.at(-1)!.label).toBe("400 ms");
    expect(chart.table.rows).toEqual([["0", "100 ms"], ["1", "–"], ["2", "300 ms"], ["3", "250 ms"]]);
    expect(lineChart({ title: "e", series: [{ name: "x", tone: "p50", points: [{ x: 0 }] }], from: 0, to: 1, xLabel: String, yLabel: String, xTickEvery: 1 }).empty).toBe(true);
  });
});

describe("dashboard", () => {
  test("green without data, red while a provider is blocked; queue depths only from queue metrics", () => {
    expect(buildDashboardView(data(), href).status.level).toBe("yellow"); // readiness-only providers are degraded
    const state: StateFile = { ...emptyState(now), checks: { "ai-decision-deliveries": { status: "down", since: ago(HOUR), failStreak: 3, okStreak: 0, regions: {} } } };
    const samples = [sample("ai-decision-deliveries", "down", ago(MINUTE), { metrics: { failed: 4, queue_depth: 17, queue_age_s: 900 } })];
    const view = buildDashboardView(data({ state, samples }), href);
    expect(view.status).toMatchObject({ level: "red", reason: "Blocked: ai.decision.logged." });
    expect(view.queues.map((queue) => [queue.metric, queue.value, queue.href])).toEqual([["queue_depth", 17, "/room/providers/ai.decision.logged/#check-ai-decision-deliveries"]]);
  });

  test("the last hour against the hour before", () => {
    const samples = [
      sample("health-endpoint", "up", ago(90 * MINUTE), { latencyMs: 100 }),
      sample("health-endpoint", "up", ago(30 * MINUTE), { latencyMs: 200 }),
      sample("health-endpoint", "down", ago(20 * MINUTE)),
    ];
    const [count, errors, rate, average] = buildDashboardView(data({ samples }), href).lastHour;
    expect([count!.value, count!.trend]).toEqual(["2", "+1 on the hour before"]);
    expect([errors!.value, rate!.value, rate!.trend, average!.value, average!.trend]).toEqual(["1", "50%", "+50 points on the hour before", "200 ms", "+100 ms on the hour before"]);
  });

  test("30-day trends use the engine's daily rollups and compute a day not rolled up yet from its samples", () => {
    const rollup = (start: string, count: number) => ({ start, count, up: count, degraded: 0, down: 0, error: 0, downtimeMinutes: 0 });
    const days = dailyTotals(
      data({
        samples: [
          sample("health-endpoint", "up", "2026-11-19T08:00:00Z"),
          sample("health-endpoint", "up", "2026-11-20T08:00:00Z"),
          sample("health-endpoint", "down", "2026-11-20T09:00:00Z"),
        ],
        rollups: { "health-endpoint": { check: "health-endpoint", hourly: [], daily: [rollup("2026-11-19T00:00:00.000Z", 288)] } },
      }),
      3,
    );
    expect(days.map((day) => day.rollup?.count)).toEqual([undefined, 288, 2]);
    expect(days[2]!.rollup!.down).toBe(1);
  });
});

describe("alerts", () => {
  test("state as recorded; routes, quiet hours, suppression and the escalation step from the configuration", () => {
    const rules: AlertRule[] = workspace.rules.map((rule) => (rule.id === "api-latency-p95" ? { ...rule, suppressUntil: ago(HOUR) } : rule.id === "booking-queue-backup" ? { ...rule, suppressUntil: ago(-HOUR) } : rule));
    const firing = { state: "firing" as const, since: ago(20 * MINUTE), firedAt: ago(20 * MINUTE), notifiedAt: ago(20 * MINUTE), checks: ["stripe-webhook"], escalationStep: 0 };
    const state: StateFile = {
      ...emptyState(now),
      alerts: {
        "stripe-webhook-down": { hash: "h", ...firing, escalationStep: 3, acknowledgedAt: ago(MINUTE), acknowledgedBy: "Dana", notifiedRoutes: ["oncall-pager", "backup-pager", "lead-email"] },
        "order-scenario-down": { hash: "h", ...firing, checks: ["order-scenario"], notifiedRoutes: ["ops-discord"] },
        "booking-queue-backup": { hash: "h", ...firing, checks: ["booking-deliveries"], muted: `suppressed until ${ago(-HOUR)}`, notifiedRoutes: [] },
      },
    };
    const view = buildAlertsView(data({ model: { ...workspace, rules }, state }), href);
    const rule = (id: string) => view.rules.find((entry) => entry.id === id)!;
    expect(rule("stripe-webhook-down").state).toMatchObject({ name: "firing", label: "Firing", escalation: "Step 3 of 4 (lead-email)", acknowledgedBy: "Dana", firingChecks: ["Payment webhooks › Stripe webhook endpoint"] });
    expect(rule("stripe-webhook-down").state.acknowledged?.relative).toBe("1 minute ago");
    expect(rule("stripe-webhook-down").routes).toEqual(["oncall-pager", "ops-discord", "incident-issues"]);
    expect(rule("stripe-webhook-down").quietHours).toEqual([{ route: "ops-discord", window: "22:00–07:00 Europe/Berlin", action: "delay", except: "critical" }]);
    // High alerts page only through a policy their rule names (docs/alerting.md).
    expect(rule("order-scenario-down").state).toMatchObject({ name: "firing", escalation: "No paging: only critical alerts, or rules that name a policy, escalate" });
    expect(rule("booking-queue-backup").state).toMatchObject({ name: "silenced", muted: `suppressed until ${ago(-HOUR)}` });
    expect(rule("database-unreachable").state).toMatchObject({ name: "unevaluated", escalation: "Step 0 of 4" });
    expect(rule("payment-webhook-errors-high").targets.map((target) => target.name)).toEqual(["Payment webhooks › Stripe webhook endpoint", "Payment webhooks › Order scenario"]);
    expect(rule("api-latency-p95").suppressUntil?.active).toBe(false);
    expect(rule("booking-queue-backup").suppressUntil?.active).toBe(true);
    expect(view.counts).toMatchObject({ firing: 2, silenced: 1, acknowledged: 1, unevaluated: 7 });
  });
});

describe("incidents", () => {
  const incident = (frontmatter: Record<string, unknown>, body = "") => ({
    file: "incidents/x.md",
    body,
    frontmatter: { id: "x", title: "X", kind: "incident", status: "resolved", providers: ["payment-webhooks"], impact: "minor", components: {}, updates: [], evidence: [], prevention: [], muteAlerts: true, ...frontmatter },
  }) as never;

  test("the close-gate checklist shows every item and names what is missing; SEV-2 needs a post-mortem", () => {
    const detail = incidentDetail(incident({ severity: "SEV-2", summary: "Owner-safe.", resolved: ago(HOUR), evidence: [{ note: "probe", check: "stripe-webhook" }] }), data(), href);
    expect(detail.closeGate.map((item) => [item.item, item.ok])).toEqual([
      ["Resolution time recorded", true],
      ["Timeline of public updates", false],
      ["Owner-safe explanation", true],
      ["Evidence attached", true],
      ["Prevention task", false],
      ["Post-mortem with action items", false],
    ]);
    expect(detail.closeGate[5]!.gap).toBe("postmortem: a SEV-2 needs a post-mortem: summary, rootCause and at least one action item");
    expect(detail.postmortem.state).toBe("Required for this severity and not written yet");
    expect(detail.evidence[0]!.check).toEqual({ name: "Payment webhooks › Stripe webhook endpoint", href: "/room/providers/payment-webhooks/#check-stripe-webhook" });
  });

  test("maintenance has no close gate and shows its window", () => {
    const detail = incidentDetail(incident({ kind: "maintenance", status: "scheduled", scheduledFor: "2026-11-21T02:00:00Z", scheduledUntil: "2026-11-21T03:00:00Z" }), data(), href);
    expect(detail.closeGate).toEqual([]);
    expect(detail.open).toBe(true);
    expect(detail.scheduled).toBe("2026-11-21 02:00 UTC → 2026-11-21 03:00 UTC (scheduled)");
  });

  test("only http(s) evidence links are clickable: javascript:, data: and other schemes are shown as text", () => {
    const hostile = ["javascript:alert(document.domain)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd"];
    const links = [...hostile, "https://grafana.example/d/1"].map((url, index) => ({ title: `link ${index}`, url }));
    const model = { ...workspace, providers: workspace.providers.map((provider) => ({ ...provider, evidence: { ...provider.evidence, links } })) };
    const queue = buildRoomView(data({ model }), href).queue;
    expect(queue.length).toBeGreaterThan(0);
    for (const entry of queue) expect(entry.evidence.links.map((link) => link.href)).toEqual([...hostile.map(() => undefined), "https://grafana.example/d/1"]);
    const detail = incidentDetail(incident({ evidence: [...hostile, "http://logs.example/q?x=1"].map((url) => ({ note: "n", url })) }), data(), href);
    expect(detail.evidence.map((item) => item.href)).toEqual([...hostile.map(() => undefined), "http://logs.example/q?x=1"]);
  });

  test("the narrative is markdown, sanitized", () => {
    const html = renderMarkdown('# Heading\n\nText with [a link](https://example.com) and [bad](javascript:alert(1)).\n\n<img src=x onerror="alert(1)"><script>alert(1)</script>');
    expect(html).toContain("<h3>Heading</h3>");
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer">a link</a>');
    expect(html).not.toMatch(/javascript:|onerror|<script/);
  });
});

describe("run log", () => {
  const entry = (at: string, extra: Partial<LogEntry> = {}): LogEntry => ({ at, level: "info", service: "probe", message: "m", run: "r1", context: {}, ...extra });

  test("one request's lifecycle in time order with offsets, whatever order the files had", () => {
    const log = [
      entry("2026-11-20T11:00:01.200Z", { requestId: "req-1", context: { step: "done" } }),
      entry("2026-11-20T11:00:00.000Z", { requestId: "req-1", context: { step: "start", order: 7 } }),
      entry("2026-11-20T11:00:00.450Z", { requestId: "req-1", level: "warning" }),
    ];
    const page = buildLogView(data({ log }), href).pages.find((candidate) => candidate.kind === "request")!;
    expect(page.path).toBe("log/request/req-1/");
    expect(page.entries.map((row) => [row.offset, row.step ?? "", row.context])).toEqual([
      ["+0 ms", "start", '{"order":7}'],
      ["+450 ms", "", ""],
      ["+1.20 s", "done", ""],
    ]);
  });

  test("every level has a page; capped runs and requests are linked only when their page exists", () => {
    const log = Array.from({ length: 5 }, (_, index) => entry(ago((5 - index) * MINUTE), { run: `run-${index}`, requestId: `req/${index}`, provider: "resend" }));
    const view = buildLogView(data({ log }), href, { perPage: 3, runs: 2, requests: 2 });
    expect(view.pages.filter((page) => page.kind === "level").map((page) => page.path)).toEqual(["debug", "info", "warning", "error", "critical"].map((level) => `log/level/${level}/`));
    const all = view.pages[0]!;
    expect(all.entries.map((row) => row.run.id)).toEqual(["run-4", "run-3", "run-2"]);
    expect(all.total).toBe(5);
    expect(all.entries.map((row) => [row.run.href, row.request!.href])).toEqual([
      ["/room/log/run/run-4/", "/room/log/request/req-4/"],
      ["/room/log/run/run-3/", "/room/log/request/req-3/"],
      [undefined, undefined],
    ]);
    expect(view.filters.providers).toEqual([{ id: "resend", name: "Resend", count: 5, href: "/room/log/provider/resend/", path: "log/provider/resend/" }]);
  });
});
