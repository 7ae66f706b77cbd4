/**
 * Notifications that cannot wedge a route: real channel stand-ins on loopback answer 400, 408, 429, 500, hang,
 * or refuse under 200, and the outbox must keep order only for what can still go through.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { announceDeadLetters, fallbackFor } from "../../scripts/core/alerts/dead-letters.ts";
import { manualClock } from "../../scripts/core/clock.ts";
import type { Notification } from "../../scripts/core/schema/records.ts";
import { deliverOutbox } from "../../scripts/notify/deliver.ts";
import { route as routeSchema, type Route } from "../../scripts/schemas.ts";
import { startRecorder, type Recorder, type Reply } from "../helpers/recorder.ts";
import { runCli } from "../helpers/cli.ts";
import { edit, exampleWorkspace } from "../helpers/workspace.ts";
import { firing, resolved } from "./fixtures.ts";

const T0 = "2026-11-16T10:47:00.000Z";
const NO_DEFAULTS = { critical: [], high: [], warning: [], info: [] };

describe("dead letters: a refused message never holds the route", () => {
  let sink: Recorder;
  beforeAll(async () => {
    sink = await startRecorder();
  });
  afterAll(() => sink.close());

  const hook = (id: string, extra: Record<string, unknown> = {}) => routeSchema.parse({ id, channel: "webhook", url: `${sink.url}/${id}`, ...extra }) as Route;
  /** `hook` gets the alerts, `chat` is the team channel that announces dead letters by default. */
  const config = (extra: Record<string, unknown> = {}) => ({ routes: [hook("hook"), hook("chat")], severityRoutes: { ...NO_DEFAULTS, warning: ["chat"] }, ...extra });
  const later = (route: string): Notification => ({ ...resolved(route), createdAt: "2026-11-16T10:48:00.000Z" });

  async function deliver(outbox: Notification[], clock: ReturnType<typeof manualClock>, options: { replies?: Reply[]; config?: ReturnType<typeof config>; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
    for (const reply of options.replies ?? []) sink.replyNext(1, reply);
    const before = sink.requests.length;
    const report = await deliverOutbox(outbox, { config: options.config ?? config(), env: options.env ?? {}, clock, persist: async () => {}, timeoutMs: options.timeoutMs });
    const requests = sink.requests.slice(before).map((request) => ({ path: request.path, event: request.headers["x-signalroom-event"], body: request.json() as { title: string; text: string } }));
    return { ...report, requests };
  }

  test("400: a dead letter at once, the resolution behind it goes out in the same run, the team channel hears of it once", async () => {
    const clock = manualClock(T0);
    const { outbox, requests, outcomes } = await deliver([firing("hook"), later("hook")], clock, { replies: [{ status: 400, body: "invalid payload" }] });
    expect(requests.map((request) => `${request.path} ${request.event}`)).toEqual(["/hook trigger", "/hook resolve", "/chat undelivered"]);
    const [dead, sent, announcement] = outbox;
    expect(dead).toMatchObject({ status: "failed", attempts: 1, failure: { reason: "rejected", at: T0, announcedVia: "chat" } });
    expect(dead!.lastError).toBe("route hook (webhook): 127.0.0.1:" + new URL(sink.url).port + " answered 400: invalid payload");
    expect(dead!.nextAttemptAt).toBeUndefined();
    expect(sent!.status).toBe("sent");
    expect(announcement).toMatchObject({ route: "chat", status: "sent", severity: "critical" });
    expect(requests[2]!.body.title).toBe("CRITICAL not delivered: Not delivered to hook: 2 alerts firing: stripe-webhook-down, booking-queue-backup");
    expect(requests[2]!.body.text).toContain("answered 400: invalid payload");
    expect(requests[2]!.body.text).toContain(`npm run alert -- retry ${dead!.key}`);
    expect(outcomes.map((outcome) => [outcome.notification.route, outcome.ok])).toEqual([
      ["hook", false],
      ["hook", true],
      ["chat", true],
    ]);

    // Announced once: later runs neither retry the dead letter nor announce it again.
    clock.advance(3_600_000);
    const again = await deliver(outbox, clock);
    expect(again.requests).toEqual([]);
    expect(again.outbox).toEqual(outbox);
  });

  test.each([
    { reply: { status: 408 }, why: "408 request timeout" },
    { reply: { status: 429, headers: { "retry-after": "120" } }, why: "429 too many requests" },
    { reply: { status: 500 }, why: "500" },
    { reply: { status: 503 }, why: "503" },
  ])("$why is temporary: retried later, the resolution waits behind it, nothing is announced", async ({ reply }) => {
    const clock = manualClock(T0);
    const first = await deliver([firing("hook"), later("hook")], clock, { replies: [reply] });
    expect(first.requests.map((request) => request.event)).toEqual(["trigger"]);
    expect(first.outbox.map((entry) => entry.status)).toEqual(["retrying", "pending"]);
    expect(first.outbox[0]!.failure).toBeUndefined();
    clock.advance(reply.status === 429 ? 120_000 : 60_000);
    const second = await deliver(first.outbox, clock);
    expect(second.requests.map((request) => request.event)).toEqual(["trigger", "resolve"]);
    expect(second.outbox.map((entry) => entry.status)).toEqual(["sent", "sent"]);
  });

  test("a hanging channel is temporary: it costs the timeout, keeps order, and another route still delivers", async () => {
    const clock = manualClock(T0);
    const { outbox, requests } = await deliver([firing("hook"), later("hook"), firing("chat")], clock, { replies: [{ delayMs: 5_000 }], timeoutMs: 200 });
    expect(outbox.map((entry) => [entry.route, entry.status])).toEqual([
      ["hook", "retrying"],
      ["hook", "pending"],
      ["chat", "sent"],
    ]);
    expect(outbox[0]!.lastError).toMatch(/timed out|could not reach/);
    expect(requests.filter((request) => request.path === "/hook")).toHaveLength(1);
  });

  test("a channel's own refusal under 200 (a Teams connector's error text) is a dead letter too", async () => {
    const clock = manualClock(T0);
    const teams = routeSchema.parse({ id: "hook", channel: "teams", webhookUrl: "${env:TEAMS_URL}" }) as Route;
    const { outbox } = await deliver([firing("hook"), later("hook")], clock, {
      config: config({ routes: [teams, hook("chat")] }),
      env: { TEAMS_URL: `${sink.url}/teams` },
      replies: [{ status: 200, body: "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413 with ContextId tcid=0" }],
    });
    expect(outbox.map((entry) => [entry.route, entry.status])).toEqual([
      ["hook", "failed"],
      ["hook", "sent"],
      ["chat", "sent"],
    ]);
    expect(outbox[0]!.lastError).toContain("returned HTTP error 413");
  });

  test("per-alert channels: one alert refused for good does not keep the other from going out", async () => {
    const clock = manualClock(T0);
    const pagerduty = routeSchema.parse({ id: "hook", channel: "pagerduty", routingKey: "${env:ROUTING_KEY}", endpoint: `${sink.url}/pd` }) as Route;
    const { outbox, requests } = await deliver([firing("hook")], clock, {
      config: config({ routes: [pagerduty, hook("chat")] }),
      env: { ROUTING_KEY: "routing-key-1234" },
      replies: [{ status: 400, body: '{"status":"invalid event"}' }],
    });
    expect(requests.map((request) => request.path)).toEqual(["/pd", "/pd", "/chat"]);
    expect(outbox[0]).toMatchObject({ status: "failed", delivered: ["booking-queue-backup@20261116T1047Z/trigger"], failure: { reason: "rejected" } });
    expect(outbox[0]!.lastError).toContain("answered 400");
  });

  test("Telegram's answers: `retry_after` in a 429 body is honoured; a 400 (\"can't parse entities\") is a dead letter", async () => {
    const clock = manualClock(T0);
    const telegram = routeSchema.parse({ id: "hook", channel: "telegram", botToken: "${env:BOT}", chatId: "42", endpoint: `${sink.url}/tg` }) as Route;
    const flooded = { status: 429, body: JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 300", parameters: { retry_after: 300 } }) };
    const limited = await deliver([firing("hook")], clock, { config: config({ routes: [telegram, hook("chat")] }), env: { BOT: "123:bot-token" }, replies: [flooded] });
    expect(limited.outbox[0]).toMatchObject({ status: "retrying", nextAttemptAt: "2026-11-16T10:52:00.000Z" });
    const refused = { status: 400, body: JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: can't parse entities: unclosed start tag" }) };
    const dead = await deliver([firing("hook")], clock, { config: config({ routes: [telegram, hook("chat")] }), env: { BOT: "123:bot-token" }, replies: [refused] });
    expect(dead.outbox[0]).toMatchObject({ status: "failed", failure: { reason: "rejected", announcedVia: "chat" } });
    expect(dead.outbox[0]!.lastError).toContain("can't parse entities");
    expect(dead.outbox[0]!.lastError).not.toContain("bot-token");
  });

  test("a notification whose route was removed from the configuration is a dead letter, announced on the team channel", async () => {
    const { outbox, requests } = await deliver([firing("gone")], manualClock(T0));
    expect(outbox[0]).toMatchObject({ status: "failed", lastError: "the route gone no longer exists", failure: { reason: "route-removed", announcedVia: "chat" } });
    expect(requests.map((request) => request.path)).toEqual(["/chat"]);
  });

  test("a missing secret is a dead letter (the route cannot work until someone sets it), and says which variable", async () => {
    const clock = manualClock(T0);
    const secret = routeSchema.parse({ id: "hook", channel: "webhook", url: "${env:HOOK_URL}" }) as Route;
    const { outbox } = await deliver([firing("hook")], clock, { config: config({ routes: [secret, hook("chat")] }) });
    expect(outbox[0]).toMatchObject({ status: "failed", lastError: "route hook (webhook): the environment variable HOOK_URL is not set", failure: { announcedVia: "chat" } });
  });

  test("an announcement that dies is not announced again, and `fallbackRoute: false` announces nothing", async () => {
    const clock = manualClock(T0);
    const both = await deliver([firing("hook")], clock, { replies: [{ status: 404 }, { status: 410 }] });
    expect(both.outbox.map((entry) => [entry.route, entry.status, entry.failure?.announcedVia])).toEqual([
      ["hook", "failed", "chat"],
      ["chat", "failed", undefined],
    ]);
    expect(both.requests).toHaveLength(2);

    const silent = await deliver([firing("hook")], clock, { replies: [{ status: 404 }], config: config({ fallbackRoute: false }) });
    expect(silent.outbox.map((entry) => [entry.route, entry.status, entry.failure?.announcedVia])).toEqual([["hook", "failed", undefined]]);
    expect(silent.requests).toHaveLength(1);
  });
});

describe("which route announces a dead letter", () => {
  const routes = ["pager", "chat", "mail", "issues"].map((id) => ({ id, channel: "webhook" }));
  const severityRoutes = { critical: ["pager", "chat"], high: ["chat", "mail"], warning: ["chat"], info: ["mail"] };

  test("by default the first warning route (then high, critical, info), never the route that failed", () => {
    expect(fallbackFor("pager", { severityRoutes }, routes)).toBe("chat");
    expect(fallbackFor("chat", { severityRoutes }, routes)).toBe("mail");
    expect(fallbackFor("chat", { severityRoutes: { ...NO_DEFAULTS, warning: ["chat"] } }, routes)).toBeUndefined();
  });

  test("`fallbackRoute` names it; `false` turns announcements off", () => {
    expect(fallbackFor("pager", { severityRoutes, fallbackRoute: "issues" }, routes)).toBe("issues");
    expect(fallbackFor("issues", { severityRoutes, fallbackRoute: "issues" }, routes)).toBeUndefined();
    expect(fallbackFor("pager", { severityRoutes, fallbackRoute: false }, routes)).toBeUndefined();
  });

  test("dead letters of one run are announced in one message per fallback route, and only once", () => {
    const now = new Date(T0);
    const dead = (route: string, minute: number): Notification => ({
      ...firing(route),
      key: `${route}:${minute}`,
      status: "failed",
      lastError: "answered 401",
      failure: { reason: "rejected", at: T0 },
    });
    const outbox = announceDeadLetters([dead("pager", 1), dead("pager", 2), dead("mail", 3)], { severityRoutes }, routes, now);
    const announcements = outbox.filter((entry) => entry.items.every((item) => item.kind === "undelivered"));
    expect(announcements.map((entry) => [entry.route, entry.items.length])).toEqual([["chat", 3]]);
    expect(announceDeadLetters(outbox, { severityRoutes }, routes, now)).toEqual(outbox);
  });
});

test("validate refuses a fallback route that does not exist, naming file, line and field", async () => {
  const root = await exampleWorkspace();
  await edit(root, "checks/signalroom.yaml", "severityRoutes:", "fallbackRoute: ops-discrod\nseverityRoutes:");
  const result = await runCli(["validate", "--root", root]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^checks\/signalroom\.yaml:\d+:\d+ fallbackRoute: unknown route "ops-discrod" \(routes: /m);
});
