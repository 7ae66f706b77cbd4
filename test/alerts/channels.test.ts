import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Notification } from "../../scripts/core/schema/records.ts";
import { DeliveryError } from "../../scripts/notify/channel.ts";
import { sendNotification } from "../../scripts/notify/deliver.ts";
import { discordRequests } from "../../scripts/notify/discord.ts";
import { emailMessage } from "../../scripts/notify/email.ts";
import { githubActions } from "../../scripts/notify/github.ts";
import { ntfyRequests } from "../../scripts/notify/ntfy.ts";
import { opsgenieRequests } from "../../scripts/notify/opsgenie.ts";
import { pagerdutyRequests } from "../../scripts/notify/pagerduty.ts";
import { slackRequests } from "../../scripts/notify/slack.ts";
import { teamsRequests } from "../../scripts/notify/teams.ts";
import { telegramRequests } from "../../scripts/notify/telegram.ts";
import { webhookRequests } from "../../scripts/notify/webhook.ts";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { route as routeSchema, type Route } from "../../scripts/schemas.ts";
import { startRecorder, type Recorder } from "../helpers/recorder.ts";
import { acknowledged, firing, resolved, test as testMessage } from "./fixtures.ts";

const parseRoute = (input: Record<string, unknown>) => routeSchema.parse({ id: "chat", ...input }) as Route;
const body = (request: { body: string }) => JSON.parse(request.body);

describe("payloads are pure functions of the notification (snapshots)", () => {
  const cases: [string, (notification: Notification) => unknown][] = [
    ["slack", (n) => slackRequests(n, { id: "chat", webhookUrl: "https://hooks.slack.example/T/B/X" }).map(body)],
    ["discord", (n) => discordRequests(n, { id: "chat", webhookUrl: "https://discord.example/api/webhooks/1/x", mention: "here" }).map(body)],
    ["teams", (n) => teamsRequests(n, { id: "chat", webhookUrl: "https://teams.example/workflow" }).map(body)],
    ["telegram", (n) => telegramRequests(n, { id: "chat", botToken: "123:abc", chatId: "-100", endpoint: "https://telegram.example" }).map(body)],
    ["ntfy", (n) => ntfyRequests(n, { id: "chat", topic: "ops", server: "https://ntfy.example" }).map((r) => ({ url: r.url, headers: r.headers, body: body(r) }))],
    ["pagerduty", (n) => pagerdutyRequests(n, { id: "chat", routingKey: "R0UTING", endpoint: "https://pd.example/v2/enqueue" }).map((r) => ({ item: r.item, body: body(r) }))],
    ["opsgenie", (n) => opsgenieRequests(n, { id: "chat", apiKey: "K", endpoint: "https://og.example", responders: ["ops"] }).map((r) => ({ url: r.url, body: body(r) }))],
    ["webhook", (n) => webhookRequests(n, { id: "chat", url: "https://hooks.example/in", secret: "s3cret", headers: { "x-team": "ops" } }, new Date("2026-11-16T10:48:00Z")).map((r) => ({ headers: r.headers, body: body(r) }))],
    ["email", (n) => emailMessage(n, { id: "chat", host: "smtp.example", port: 587, secure: false, from: "signalroom@example.com", to: ["ops@example.com"] })],
    ["github", (n) => githubActions(n, "internal")],
  ];
  test.each(cases)("%s", (name, build) => {
    expect({ firing: build(firing()), resolved: build(resolved()), acknowledged: build(acknowledged()) }).toMatchSnapshot();
  });

  test("Discord mentions only for urgent alerts that need someone, never for a resolution", () => {
    const route = { id: "chat", webhookUrl: "https://discord.example/api/webhooks/1/x", mention: "here" as const };
    expect(body(discordRequests(firing(), route)[0]!).content).toMatch(/^@here 2 alerts firing/);
    expect(body(discordRequests(resolved(), route)[0]!).content).not.toContain("@here");
    expect(body(discordRequests(acknowledged(), route)[0]!).content).not.toContain("@here");
  });

  test("Telegram escapes HTML and stays under its 4096-character limit", () => {
    const text = body(telegramRequests(firing(), { id: "chat", botToken: "1:a", chatId: "1", endpoint: "https://t.example" })[0]!).text as string;
    expect(text).toContain("Money state &amp; &lt;member trust&gt;");
    const many = { ...firing(), items: Array.from({ length: 40 }, (_, i) => ({ ...firing().items[0]!, id: `x${i}` })) };
    expect(body(telegramRequests(many, { id: "chat", botToken: "1:a", chatId: "1", endpoint: "https://t.example" })[0]!).text.length).toBeLessThanOrEqual(4096);
  });
});

describe("every HTTP channel against a real local server", () => {
  let server: Recorder;
  beforeAll(async () => {
    server = await startRecorder();
  });
  afterAll(() => server.close());

  const env = () => ({ HOOK_URL: `${server.url}/hook/secret-path`, TOKEN: "tok-123456", KEY: "key-123456" });
  const deliver = (route: Route, notification: Notification, delivered: string[] = []) =>
    sendNotification({ ...notification, delivered }, route, { env: env(), signal: AbortSignal.timeout(5000) });
  const last = (count = 1) => server.requests.slice(-count);

  test.each([
    { channel: "slack", options: { webhookUrl: "${env:HOOK_URL}" }, path: "/hook/secret-path" },
    { channel: "discord", options: { webhookUrl: "${env:HOOK_URL}" }, path: "/hook/secret-path?wait=true" },
    { channel: "teams", options: { webhookUrl: "${env:HOOK_URL}" }, path: "/hook/secret-path" },
    { channel: "telegram", options: { botToken: "${env:TOKEN}", chatId: "-1001", endpoint: "${SERVER}" }, path: "/bottok-123456/sendMessage" },
    { channel: "ntfy", options: { topic: "ops-alerts", server: "${SERVER}", token: "${env:TOKEN}" }, path: "/" },
    { channel: "webhook", options: { url: "${env:HOOK_URL}", secret: "${env:KEY}" }, path: "/hook/secret-path" },
  ])("$channel posts one message per notification", async ({ channel, options, path }) => {
    const filled = JSON.parse(JSON.stringify(options).replace("${SERVER}", server.url));
    const before = server.requests.length;
    await deliver(parseRoute({ channel, ...filled }), firing());
    expect(server.requests.length - before).toBe(1);
    const [request] = last();
    expect(request).toMatchObject({ method: "POST", path });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toContain("stripe-webhook-down");
  });

  test("webhooks are signed as Standard Webhooks with a signed timestamp: the standard's own library verifies them and refuses a replay", async () => {
    const notification = firing();
    await deliver(parseRoute({ channel: "webhook", url: "${env:HOOK_URL}", secret: "${env:KEY}", headers: { "x-team": "ops" } }), notification);
    const [request] = last();
    const headers = request!.headers as Record<string, string>;
    expect(headers["webhook-id"]).toBe(notification.key);
    expect(headers["x-signalroom-delivery"]).toBe(notification.key);
    expect(headers["x-team"]).toBe("ops");
    // A secret in free form is its UTF-8 bytes ("raw" for the library); the signature covers id, timestamp and body.
    expect(() => new Webhook("key-123456", { format: "raw" }).verify(request!.body, headers)).not.toThrow();
    expect(() => new Webhook("key-123456", { format: "raw" }).verify(request!.body.replace("stripe", "strlpe"), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook("key-123456", { format: "raw" }).verify(request!.body, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) + 1) })).toThrow(WebhookVerificationError);
    // The same request captured and sent again an hour later: its signed timestamp is too old.
    const captured = webhookRequests(notification, { id: "hook", url: "https://hooks.example/in", secret: "key-123456", headers: {} }, new Date(Date.now() - 3_600_000))[0]!;
    expect(() => new Webhook("key-123456", { format: "raw" }).verify(captured.body, captured.headers as Record<string, string>)).toThrow(/timestamp too old/i);
    // A secret in the standard's form (whsec_ and base64) verifies with the library's defaults.
    const secret = `whsec_${Buffer.from("a very random signing key 123456").toString("base64")}`;
    const standard = webhookRequests(notification, { id: "hook", url: "https://hooks.example/in", secret, headers: {} }, new Date())[0]!;
    expect(new Webhook(secret).verify(standard.body, standard.headers as Record<string, string>)).toMatchObject({ key: notification.key });
  });

  test("PagerDuty: one event per alert with the episode as dedup_key; trigger, acknowledge, resolve", async () => {
    const route = parseRoute({ channel: "pagerduty", routingKey: "${env:KEY}", endpoint: `${server.url}/v2/enqueue` });
    await deliver(route, firing());
    await deliver(route, acknowledged());
    await deliver(route, resolved());
    const events = last(4).map(body);
    expect(events.map((event) => [event.event_action, event.dedup_key, event.payload?.severity])).toEqual([
      ["trigger", "stripe-webhook-down@20261116T1047Z", "critical"],
      ["trigger", "booking-queue-backup@20261116T1047Z", "error"],
      ["acknowledge", "stripe-webhook-down@20261116T1047Z", undefined],
      ["resolve", "stripe-webhook-down@20261116T1047Z", undefined],
    ]);
    expect(events.every((event) => event.routing_key === "key-123456")).toBe(true);
  });

  test("PagerDuty test: triggers and at once resolves its own key", async () => {
    await deliver(parseRoute({ channel: "pagerduty", routingKey: "${env:KEY}", endpoint: `${server.url}/v2/enqueue` }), testMessage());
    const [trigger, resolve] = last(2).map(body);
    expect([trigger.event_action, resolve.event_action]).toEqual(["trigger", "resolve"]);
    expect(trigger.dedup_key).toBe(resolve.dedup_key);
  });

  test("Opsgenie: create by alias, acknowledge and close by alias, GenieKey auth", async () => {
    const route = parseRoute({ channel: "opsgenie", apiKey: "${env:KEY}", endpoint: server.url, responders: ["ops"] });
    await deliver(route, firing());
    await deliver(route, acknowledged());
    await deliver(route, resolved());
    expect(last(4).map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /v2/alerts",
      "POST /v2/alerts",
      "POST /v2/alerts/stripe-webhook-down%4020261116T1047Z/acknowledge?identifierType=alias",
      "POST /v2/alerts/stripe-webhook-down%4020261116T1047Z/close?identifierType=alias",
    ]);
    expect(last(1)[0]!.headers.authorization).toBe("GenieKey key-123456");
    expect(body(last(4)[0]!)).toMatchObject({ alias: "stripe-webhook-down@20261116T1047Z", priority: "P1", responders: [{ name: "ops", type: "team" }] });
  });

  test("items already accepted are not sent again (a retry after a partial delivery)", async () => {
    const route = parseRoute({ channel: "pagerduty", routingKey: "${env:KEY}", endpoint: `${server.url}/v2/enqueue` });
    const before = server.requests.length;
    await deliver(route, firing(), ["stripe-webhook-down@20261116T1047Z/trigger"]);
    expect(server.requests.slice(before).map((request) => body(request).dedup_key)).toEqual(["booking-queue-backup@20261116T1047Z"]);
  });

  test("a refusal is a DeliveryError with the status and Retry-After, and never shows a secret", async () => {
    server.replyNext(1, { status: 429, body: '{"error":"slow down for tok-123456"}', headers: { "retry-after": "30" } });
    const error = await deliver(parseRoute({ channel: "telegram", botToken: "${env:TOKEN}", chatId: "1", endpoint: server.url }), firing()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    expect((error as Error).message).toBe(`route chat (telegram): ${new URL(server.url).host} answered 429: {"error":"slow down for [redacted]"}`);
  });

  test("a missing environment variable names the variable, not a value", async () => {
    const error = await sendNotification(firing(), parseRoute({ channel: "slack", webhookUrl: "${env:NOT_SET}" }), { env: {}, signal: AbortSignal.timeout(1000) }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("route chat (slack): the environment variable NOT_SET is not set");
  });

  test("an unreachable channel and a slow one fail within the timeout", async () => {
    const closed = await startRecorder();
    const address = closed.url;
    await closed.close();
    const refused = await sendNotification(firing(), parseRoute({ channel: "slack", webhookUrl: "${env:HOOK_URL}" }), { env: { HOOK_URL: `${address}/x` }, signal: AbortSignal.timeout(5000) }).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/^route chat \(slack\): could not reach 127\.0\.0\.1:\d+: ECONNREFUSED$/);
    server.replyNext(1, { delayMs: 3000 });
    const started = Date.now();
    const slow = await sendNotification(firing(), parseRoute({ channel: "slack", webhookUrl: "${env:HOOK_URL}" }), { env: { HOOK_URL: `${server.url}/slow` }, signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect((slow as Error).message).toMatch(/^route chat \(slack\): could not reach 127\.0\.0\.1:\d+: /);
    expect(Date.now() - started).toBeLessThan(2900);
  });

  test("IPv6 loopback works too", async () => {
    const v6 = await startRecorder("::1");
    try {
      await sendNotification(firing(), parseRoute({ channel: "ntfy", topic: "t", server: v6.url }), { env: {}, signal: AbortSignal.timeout(5000) });
      expect(v6.requests).toHaveLength(1);
    } finally {
      await v6.close();
    }
  });
});
