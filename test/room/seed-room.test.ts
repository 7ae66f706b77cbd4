/**
 * Scenario: the seed's operations room. The example configuration plus data written with the store
 * functions (test/fixtures/seed-room.ts) is built by `npm run build`; the room must show seed 000's
 * figures, and every screen must be computed from those files.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { counters, laneCards, priorityRecovery, queue, SEED_COUNTERS, SEED_LANES, SEED_PRIORITY, SEED_QUEUE } from "../helpers/room-html.ts";
import { buildSeedWorld, type SeedBuild } from "./seed-build.ts";

let world: SeedBuild;
let out: string;
const page = (path: string) => readFile(join(out, "internal", path, "index.html"), "utf8");

beforeAll(async () => {
  world = await buildSeedWorld(["internal", "public"]);
  out = world.out;
});

afterAll(() => world.remove());

describe("the room reproduces seed 000", () => {
  test("probe runs are landing, so no screen warns of stale data", async () => {
    for (const path of ["", "dashboard", "alerts", "providers/resend"]) expect(await page(path)).not.toContain('class="stale"');
  });

  test("counters: 5 operational, 3 degraded, 1 blocked, 63 % average signal, with the sentence under each", async () => {
    const room = await page("");
    expect(counters(room)).toEqual(SEED_COUNTERS);
  });

  test("lane cards: signal count, blocked, watch, average and the action of the most urgent provider", async () => {
    const room = await page("");
    expect(laneCards(room)).toEqual(SEED_LANES);
  });

  test("the signal queue is ranked as the seed ranks it, with the seed's last-signal phrases and evidence", async () => {
    const room = await page("");
    const cards = queue(room);
    expect(cards.map((card) => [card.id, card.score])).toEqual(SEED_QUEUE);
    const byId = Object.fromEntries(cards.map((card) => [card.id, card]));
    // Providers without samples say how ready they are; measured ones say when (relative and absolute).
    expect(byId["members-api"]!.last).toBe("Contract documented");
    expect(byId["payment.failed"]!.last).toBe("Delivery not yet wired");
    expect(byId["bookings-api"]!.last).toBe("Contract planned");
    expect(byId["resend"]!.last).toBe("Not connected yet");
    expect(byId["postgres-database"]!.last).toBe("Just now (2026-11-20 11:59 UTC)");
    expect(byId["payment-webhooks"]!.last).toBe("2 minutes ago (2026-11-20 11:58 UTC)");
    expect(cards.map((card) => `${card.evidence} / ${card.status}`)).toEqual([
      "System: Postgres database / Status: healthy",
      "System: AI decision log / Status: healthy",
      "Category: identity / Status: live",
      "Consumer: Coolify and operations / Status: live",
      "Destination: Waitlist and member timeline / Status: active",
      "Consumer: Migration and integrations / Status: documented",
      "System: Payment webhooks / Status: watch",
      "Category: payments / Status: needs attention",
      "Destination: Recovery workflow / Status: planned",
      "Consumer: Member app and partner widgets / Status: planned",
      "Category: messaging / Status: planned",
      "Destination: Audit and owner review / Status: failing",
    ]);
  });

  test("each provider shows the breakdown behind its signal, adding up to it", async () => {
    const room = await page("");
    const card = room.slice(room.indexOf('id="provider-payment-rails"'), room.indexOf('id="provider-payment.failed"'));
    expect(card).toContain("Decide real retry/recovery ownership across providers");
    expect(card).toContain("Confirm provider owner");
    const points = [...card.matchAll(/<th scope="row">(\w[\w ]*)<\/th><td class="num">([^<]+)<\/td>/g)].map((match) => [match[1], match[2]]);
    expect(points.map(([factor]) => factor)).toEqual(["readiness", "availability", "latency", "freshness", "Total"]);
    const sum = points.slice(0, -1).reduce((total, [, value]) => total + Number(value!.replace("−", "-").replace("+", "")), 0);
    expect(Math.round(sum)).toBe(54);
    expect(card).toContain("50 % of 100 samples were not down");
  });

  test("priority recovery lists the degraded and blocked providers with their recovery action", async () => {
    const room = await page("");
    expect(priorityRecovery(room)).toEqual(SEED_PRIORITY);
  });

  test("the runbook steps carry the seed's texts and link to the live data they need", async () => {
    const room = await page("");
    const section = room.slice(room.indexOf('id="runbook-title"'), room.indexOf('id="tables-title"'));
    const steps = [...section.matchAll(/<h3><a href="([^"]+)">(\w+)<\/a><\/h3>\s*<p>([^<]+)<\/p>\s*<p class="muted live">([^<]+)<\/p>/g)].map((match) => match.slice(1));
    expect(steps).toEqual([
      ["/dashboard/", "Observe", "Capture status, latency, last success, last failure, payload count, queue depth, and provider incident notes.", "9 checks; last probe run just now."],
      ["/alerts/", "Alert", "Warn owners only when a signal is actionable: billing drift, blocked login, failed delivery, or user-facing outage.", "2 alerts firing (1 acknowledged), 0 silenced."],
      ["#priority-recovery", "Recover", "Replay idempotent events, pause unsafe automations, hold billing sends, and document rollback options.", "4 providers in priority recovery."],
      ["/incidents/", "Close", "Attach evidence, timeline, prevention task, and owner-safe explanation before marking healthy.", "0 open incidents; 1 not yet through the close gate."],
    ]);
  });

  test("the three durable tables are rendered from the real files with the seed's columns", async () => {
    const room = await page("");
    const table = (id: string) => {
      const start = room.indexOf(`id="${id}"`);
      const html = room.slice(start, room.indexOf("</table>", start));
      return {
        head: [...html.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((match) => match[1]),
        rows: [...html.matchAll(/<tr>\s*<td>/g)].length,
        html,
      };
    };
    const checks = table("provider_checks");
    expect(checks.head).toEqual(["Provider", "Check", "Check type", "Status", "Latency", "Last error", "Last success", "Cadence"]);
    expect(checks.rows).toBe(9);
    expect(checks.html).toContain("ai.decision.logged delivery stats</td><td>json</td><td>down</td>");
    expect(checks.html).toContain("[METRIC].failed == 0 ✗ 9");
    const incidents = table("provider_incidents");
    expect(incidents.head).toEqual(["Incident", "Impact", "Owner", "Linked provider", "Timeline", "Comms", "Recovery action", "Prevention task"]);
    expect(incidents.rows).toBe(2);
    expect(incidents.html).toContain("SEV-2 · major");
    expect(incidents.html).toContain("Queue webhooks for resilience (0/1 done)");
    const rules = table("provider_alert_rules");
    expect(rules.head).toEqual(["Rule", "Threshold", "Severity", "Notification route", "Quiet hours", "Suppress until"]);
    expect(rules.rows).toBe(10);
    expect(rules.html).toContain("error rate above 10% over 15m (clears below 5%), at least 5 samples");
    expect(rules.html).toContain("ops-discord: 22:00–07:00 Europe/Berlin (delay)");
  });
});

describe("provider pages", () => {
  test("one page per provider", async () => {
    const names = await readdir(join(out, "internal/providers"));
    expect(names.sort()).toEqual(
      ["ai-decision-log", "ai.decision.logged", "better-auth", "booking.changed", "bookings-api", "health-endpoint", "members-api", "payment-rails", "payment-webhooks", "payment.failed", "postgres-database", "resend"].sort(),
    );
  });

  test("a blocked provider shows its down check, which condition failed, and its firing rule", async () => {
    const html = await page("providers/ai.decision.logged");
    const check = html.slice(html.indexOf('id="check-ai-decision-deliveries"'));
    expect(check).toContain('<span class="pill tone-down">down</span>');
    expect(check).toMatch(/<code>\[METRIC\]\.failed == 0<\/code> <span class="bad-mark">✗<\/span> got <code>9<\/code>/);
    expect(check).toContain("71 failing runs in a row");
    expect(html).toMatch(/data-rule="ai-decision-delivery-failing" data-state="firing"/);
    expect(html).toContain("Firing on: ai.decision.logged › ai.decision.logged delivery stats");
    expect(html).toContain("No paging: only critical alerts, or rules that name a policy, escalate");
  });

  test("latency percentiles, error rate and uptime over 1 h, 24 h and 7 d come from the samples", async () => {
    const html = await page("providers/payment-rails");
    const rows = Object.fromEntries(
      [...html.matchAll(/data-window="([^"]+)"><th scope="row">[^<]+<\/th>((?:<td class="num">[^<]*<\/td>)+)/g)].map((match) => [match[1], [...match[2]!.matchAll(/>([^<]*)</g)].map((cell) => cell[1]).filter(Boolean)]),
    );
    // 24 h: 100 samples, 50 of them down (errors), 47 up and 3 degraded; up to 7 days adds the thin history.
    expect(rows["24 h"]![0]).toBe("100");
    expect(rows["24 h"]![4]).toBe("50%");
    expect(rows["24 h"]![5]).toBe("50%");
    expect(rows["1 h"]![0]).toBe("5");
    expect(rows["1 h"]![4]).toBe("0%");
    expect(Number(rows["7 d"]![0])).toBeGreaterThan(100);
    expect(html).toContain("Payment vendor status page: latency percentiles per hour, last 24 hours");
    expect(html).toMatch(/<path class="series p95" d="M[\d. ML]+"/);
  });

  test("the runbook from the provider's YAML, its incidents and its maintenance", async () => {
    const webhooks = await page("providers/payment-webhooks");
    expect(webhooks).toContain("No orders processing from Stripe webhooks");
    expect(webhooks).toContain("Re-enable the scenario and trigger a test payment_intent.succeeded");
    expect(webhooks).toContain("Card payments were not confirmed");
    const postgres = await page("providers/postgres-database");
    expect(postgres).toContain("Database upgrade");
    expect(postgres).toContain("2026-11-21 02:00 UTC → 2026-11-21 03:00 UTC (scheduled)");
    const resend = await page("providers/resend");
    expect(resend).toContain("No checks yet: the signal rests on readiness tasks.");
    expect(resend).toMatch(/data-done="true">[\s\S]*?API key in secrets/);
  });
});

describe("dashboard", () => {
  test("top row, last hour, last 24 hours and 30-day trends", async () => {
    const html = await page("dashboard");
    const figure = (name: string) => html.slice(html.indexOf(`data-figure="${name}"`)).split("</div>")[0]!;
    expect(figure("status")).toContain("Red");
    expect(figure("status")).toContain("Blocked: ai.decision.logged.");
    expect(figure("alerts")).toMatch(/>2<\/a><\/p>\s*<p class="note">1 acknowledged; 0 silenced/);
    expect(figure("queues")).toMatch(/queue-value">290<\/span> <a [^>]+>ai\.decision\.logged/);
    expect(figure("Samples")).toMatch(/<p class="value">\d+<\/p>/);
    for (const title of ["Response time percentiles, all checks", "Error rate by provider", "Throughput", "Sample distribution by provider and region", "Uptime trend", "Sample volume trend", "Slowest check's P95 trend", "Error rate trend"]) {
      expect(html).toContain(title.replace("'", "&#39;"));
    }
    expect(html).toMatch(/<th scope="col" class="num">eu-central<\/th><th scope="col" class="num">us-east<\/th>/);
    expect(html).toMatch(/Postgres database<\/a><\/th><td class="num">100<\/td><td class="num">100<\/td><td class="num">200<\/td>/);
  });
});

describe("alerts", () => {
  test("every rule with its state, escalation step and silencing; the outbox by status", async () => {
    const html = await page("alerts");
    expect([...html.matchAll(/data-rule="([^"]+)" data-state="(\w+)"/g)].map((match) => `${match[1]}:${match[2]}`)).toEqual([
      "stripe-webhook-down:ok",
      "database-unreachable:unevaluated",
      "order-scenario-down:unevaluated",
      "payment-webhook-errors-high:ok",
      "ai-log-heartbeat-silent:unevaluated",
      "api-latency-p95:ok",
      "booking-queue-backup:ok",
      "no-bookings-in-business-hours:unevaluated",
      "delivery-failure-anomaly:firing",
      "ai-decision-delivery-failing:firing",
    ]);
    const database = html.slice(html.indexOf('data-rule="database-unreachable"'), html.indexOf('data-rule="order-scenario-down"'));
    expect(database).toContain("Muted by maintenance: <a");
    expect(database).toContain("(mutes 2026-11-21 02:00 UTC → 2026-11-21 03:00 UTC)");
    expect(database).toContain("Step 0 of 4");
    const anomaly = html.slice(html.indexOf('data-rule="delivery-failure-anomaly"'), html.indexOf('data-rule="ai-decision-delivery-failing"'));
    expect(anomaly).toMatch(/Acknowledged<\/span> <span><time[^>]*>50 minutes ago<\/time>[^<]*<span class="abs">[^<]*<\/span><\/span> by Dana \(Operations\)/);
    expect(anomaly).toContain("Routes told: ops-discord");
    for (const status of ["failed", "retrying", "pending", "sent"]) expect(html).toContain(`data-outbox="${status}"`);
    // The dead letter says why it will not be delivered and who was told.
    expect(html).toContain("Refused by the channel for good; announced via ops-discord");
    expect(html).toMatch(/data-count="deadLetters"[^]*?<p class="value">1<\/p>/);
    expect(html).not.toContain('data-outbox="delayed"');
    expect(html).toContain("SMTP answered 535 5.7.8 authentication failed");
    expect(html).toMatch(/<td>reminder<\/td>/);
  });
});

describe("incidents", () => {
  test("open and past incidents and maintenance, each with a page", async () => {
    const html = await page("incidents");
    expect(html).toContain("No open incident.");
    expect(html).toContain('data-incident="2026-11-12-stripe-webhook-outage"');
    expect(html).toContain('data-incident="2026-11-21-database-maintenance"');
    expect((await readdir(join(out, "internal/incidents"))).filter((name) => name !== "index.html").sort()).toEqual([
      "2026-11-12-stripe-webhook-outage",
      "2026-11-18-payment-vendor-status",
      "2026-11-21-database-maintenance",
    ]);
  });

  test("MTTD, MTTA and MTTR from the incident files (incidentMetrics)", async () => {
    const html = await page("incidents");
    const means = [...html.matchAll(/data-metric="(\w+)"[\s\S]*?<p class="value">([^<]+)<\/p>\s*<p class="note">[^<]*Mean of (\d+)\./g)].map((match) => match.slice(1));
    // Detection took 2 and 4 minutes; only the SEV-2 was acknowledged (3 minutes); restoring took 52 minutes and 4 h 10 min.
    expect(means).toEqual([
      ["MTTD", "3 min", "2"],
      ["MTTA", "3 min", "1"],
      ["MTTR", "2 h 31 min", "2"],
    ]);
    expect(html).toMatch(/Payment webhooks<\/a><\/th><td class="num">1<\/td><td class="num">0<\/td><td class="num">52 min<\/td>/);
  });

  test("narrative rendered and sanitized, timeline in order, close gate, post-mortem", async () => {
    const html = await page("incidents/2026-11-12-stripe-webhook-outage");
    expect(html).toContain("A deploy at <strong>10:44</strong> dropped the <code>/webhooks/stripe</code> route.");
    expect(html).not.toContain("never rendered");
    expect(html).not.toMatch(/<script>alert/);
    const timeline = [...html.slice(html.indexOf('class="timeline"')).matchAll(/<strong>([^<]+)<\/strong>/g)].map((match) => match[1]).slice(0, 9);
    expect(timeline).toEqual(["Started", "Detected", "Acknowledged", "Public update: investigating", "Mitigated", "Public update: monitoring", "Resolved", "Public update: resolved", "Closed"]);
    expect([...html.matchAll(/data-ok="(\w+)"/g)].map((match) => match[1])).toEqual(["true", "true", "true", "true", "true", "true"]);
    expect(html).toContain("Written; every action item done");

    const open = await page("incidents/2026-11-18-payment-vendor-status");
    // resolved ✓, updates end without "resolved" ✗, no owner-safe explanation ✗, evidence ✓, no prevention ✗.
    expect([...open.matchAll(/data-ok="(\w+)"/g)].map((match) => match[1])).toEqual(["true", "false", "false", "true", "false"]);
    expect(open).toContain("updates: end the timeline with a public update announcing resolved");
    expect(open).toContain("prevention: add at least one prevention task");
    expect(open).toContain("Optional for this severity; not written");
  });
});

describe("run log", () => {
  test("per-filter pages for level, provider, request and run", async () => {
    const all = await page("log");
    expect(all).toContain("120 entries from the retained probe runs, newest first.");
    const errors = await page("log/level/error");
    expect([...errors.matchAll(/<tr data-level="(\w+)"/g)].map((match) => match[1])).toEqual(Array(12).fill("error"));
    const provider = await page("log/provider/booking.changed");
    expect([...provider.matchAll(/<tr data-level/g)]).toHaveLength(48);
    expect(await readdir(join(out, "internal/log/run"))).toHaveLength(12);
  });

  test("one request's lifecycle in order, with offsets from its first step", async () => {
    const html = await page("log/request/req_a1b2c6");
    const steps = [...html.matchAll(/step: (\w+)/g)].map((match) => match[1]);
    expect(steps).toEqual(["validate_webhook", "update_timeline", "update_waitlist", "order_complete"]);
    expect([...html.matchAll(/<td>(\+[\d.]+ m?s)/g)].map((match) => match[1])).toEqual(["+0 ms", "+250 ms", "+700 ms", "+900 ms"]);
    expect(html).toContain("Waitlist update retried");
  });
});

describe("never part of the public deployment", () => {
  /** Values only internal fields hold: if any reaches dist/public, the two outputs leak into each other. */
  const CANARIES = [
    "signalroom-internal",
    "Provider Health",
    "AI review",
    "Pause automation, inspect failed payloads",
    "Escalate if timeline or money state can drift",
    "AI events need extra visibility",
    "${env:APP_BASE_URL}",
    "oncall-pager",
    "SMTP answered 535",
    "Dana (Operations)",
    "dropped the",
    "req_a1b2c3",
    "Waitlist update retried",
    "[METRIC].failed == 0",
    "The route table was generated from a stale manifest",
  ];

  async function files(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true, recursive: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  }

  test("dist/public holds no internal page and no internal data", async () => {
    const internal = await files(join(out, "internal"));
    expect(internal.length).toBeGreaterThan(40);
    // The canaries are really on the internal pages, so their absence below means something.
    const internalText = (await Promise.all(internal.map((file) => readFile(file, "utf8")))).join("\n");
    for (const canary of CANARIES) expect(internalText).toContain(canary.replace("&", "&amp;"));

    const publicFiles = await files(join(out, "public"));
    expect(publicFiles.length).toBeGreaterThan(0);
    for (const file of publicFiles) {
      expect(file).not.toMatch(/\.(ndjson)$|state\.json$|rollups/);
      const text = await readFile(file, "utf8");
      for (const canary of CANARIES) expect(text, `${file} contains "${canary}"`).not.toContain(canary);
    }
  });
});
