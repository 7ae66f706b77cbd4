import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { emptyState, readState, writeState } from "../../scripts/store/state.ts";
import { runCli } from "../helpers/cli.ts";
import { startRecorder, type Recorder } from "../helpers/recorder.ts";
import { edit, exampleWorkspace } from "../helpers/workspace.ts";
import { firing } from "./fixtures.ts";

describe("npm run alert", () => {
  let sink: Recorder;
  beforeAll(async () => {
    sink = await startRecorder();
  });
  afterAll(() => sink.close());

  test("test --route sends a test through the route and prints the outcome (playbook §6.2.4)", async () => {
    const root = await exampleWorkspace();
    const result = await runCli(["alert", "test", "--route", "ops-discord", "--root", root], { DISCORD_WEBHOOK_URL: `${sink.url}/discord` });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^✓ discord accepted the test for route ops-discord in \d+ ms\. Check that it arrived and reads well\.\n$/);
    expect(JSON.parse(sink.requests.at(-1)!.body).content).toBe("INFO test: Test notification for route ops-discord");
    expect(result.code).toBe(0);
  });

  test("a failing route prints why, without its secret, and exits 1", async () => {
    const root = await exampleWorkspace();
    sink.replyNext(1, { status: 404, body: "unknown webhook" });
    const result = await runCli(["alert", "test", "--route", "ops-discord", "--root", root], { DISCORD_WEBHOOK_URL: `${sink.url}/secret-hook-path` });
    expect(result.stderr).toBe(`✗ route ops-discord (discord): ${new URL(sink.url).host} answered 404: unknown webhook\n`);
    expect(result.code).toBe(1);
  });

  test.each([
    [["alert", "test", "--route", "pager"], 'Unknown route "pager" (routes: oncall-pager, backup-pager, lead-email, founder-telegram, ops-discord, ops-email, incident-issues).\n'],
    [["alert", "simulate", "--trace", "missing.ndjson"], /^Cannot read the trace .*missing\.ndjson: ENOENT\.\n$/],
    [["alert", "ack", "nope"], /^Unknown rule "nope" \(rules: stripe-webhook-down, .*\)\.\n$/],
    [["alert", "ack", "stripe-webhook-down"], "The rule stripe-webhook-down is not firing; there is nothing to acknowledge.\n"],
    [["alert"], "Say what to do: npm run alert -- test | simulate | ack | deliver | status | retry (see --help).\n"],
  ])("%j → one sentence, exit 1", async (args, message) => {
    const root = await exampleWorkspace();
    const result = await runCli([...args, "--root", root]);
    expect(result.code).toBe(1);
    if (typeof message === "string") expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
  });

  test("simulate: a broken trace line is named by file and line", async () => {
    const root = await exampleWorkspace();
    await writeFile(join(root, "trace.ndjson"), '{"at":"2026-11-16T10:00:00Z","check":"stripe-webhook","state":"up"}\n{"at":"yesterday","check":"stripe-webhook","state":"up"}\n');
    const result = await runCli(["alert", "simulate", "--trace", join(root, "trace.ndjson"), "--root", root]);
    expect(result.stderr).toBe(`${join(root, "trace.ndjson")}:2 at: must be a date and time with a time zone, such as 2026-11-16T10:45:00Z.\n`);
    expect(result.code).toBe(1);
  });

  test("simulate replays a trace: what would fire, when and to whom", async () => {
    const root = await exampleWorkspace();
    const lines = [
      ...["10:43", "10:44"].map((t) => ({ at: `2026-11-16T${t}:00Z`, check: "stripe-webhook", state: "up", latencyMs: 120 })),
      ...["10:45", "10:46", "10:47"].map((t) => ({ at: `2026-11-16T${t}:00Z`, check: "stripe-webhook", state: "down" })),
      ...["10:48", "10:49"].map((t) => ({ at: `2026-11-16T${t}:00Z`, check: "stripe-webhook", state: "up", latencyMs: 120 })),
      { at: "2026-11-16T10:49:00Z", check: "not-configured", state: "down" },
    ];
    await writeFile(join(root, "trace.ndjson"), lines.map((line) => JSON.stringify(line)).join("\n"));
    const result = await runCli(["alert", "simulate", "--trace", join(root, "trace.ndjson"), "--root", root]);
    expect(result.stdout).toMatchInlineSnapshot(`
      "Replaying 8 samples of 2 checks from 2026-11-16T10:43 to 2026-11-16T10:49 (UTC) through the 2 rules that watch them.
      Not in the configuration, ignored: not-configured.

      2026-11-16 10:46 UTC  fired        stripe-webhook-down (critical): down for 2 consecutive runs: stripe-webhook
                            → oncall-pager (On-call engineer (PagerDuty)), ops-discord (The operations channel), incident-issues (One GitHub issue per incident)
      2026-11-16 10:47 UTC  fired        payment-webhook-errors-high (high): 60 % of 5 samples failed in 15m (fires above 10 %, clears below 5 %)
                            → ops-discord (The operations channel), ops-email (Operations mailbox and the daily digest)
      2026-11-16 10:49 UTC  cleared      stripe-webhook-down (critical): recovered, after 4 min
                            → oncall-pager (On-call engineer (PagerDuty)), ops-discord (The operations channel), incident-issues (One GitHub issue per incident)

      2 alerts fired; still firing at the end: payment-webhook-errors-high. 8 notifications would have been sent.
      "
    `);
    expect(result.code).toBe(0);
  });

  test("ack acknowledges a firing alert, queues the acknowledgement, and deliver sends it", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/signalroom.yaml", "routingKey: ${env:PAGERDUTY_ROUTING_KEY}", `routingKey: \${env:PAGERDUTY_ROUTING_KEY}\n    endpoint: ${sink.url}/pd`);
    const firedAt = "2026-11-16T10:46:00.000Z";
    await writeState(root, {
      ...emptyState(new Date(firedAt)),
      alerts: {
        "stripe-webhook-down": {
          hash: "x",
          state: "firing",
          since: firedAt,
          firedAt,
          onsetAt: "2026-11-16T10:45:00.000Z",
          episode: "stripe-webhook-down@20261116T1046Z",
          notifiedAt: firedAt,
          lastNotifiedAt: firedAt,
          notifiedRoutes: ["oncall-pager"],
          checks: ["stripe-webhook"],
          escalationStep: 1,
        },
      },
    });
    const clock = manualClock("2026-11-16T10:50:00.000Z");
    const acked = await runCli(["alert", "ack", "stripe-webhook-down", "--by", "alice", "--root", root], {}, { clock });
    expect(acked.stdout).toContain("✓ Acknowledged stripe-webhook-down for alice: escalation stops and reminders pause.");
    expect(acked.stdout).toContain("1 notification queued for oncall-pager");
    const state = await readState(root, new Date());
    expect(state.alerts["stripe-webhook-down"]).toMatchObject({ acknowledgedAt: "2026-11-16T10:50:00.000Z", acknowledgedBy: "alice" });

    const before = sink.requests.length;
    const delivered = await runCli(["alert", "deliver", "--root", root], { PAGERDUTY_ROUTING_KEY: "rk-12345" }, { clock });
    expect(delivered.stdout).toContain("✓ oncall-pager: CRITICAL acknowledged: Payment webhooks: stripe-webhook-down");
    expect(sink.requests.slice(before).map((request) => JSON.parse(request.body)).map((event) => [event.event_action, event.dedup_key])).toEqual([
      ["acknowledge", "stripe-webhook-down@20261116T1046Z"],
    ]);
    const status = await runCli(["alert", "status", "--root", root], {}, { clock });
    expect(status.stdout).toContain("● firing stripe-webhook-down since 2026-11-16T10:46:00.000Z (acknowledged 2026-11-16T10:50:00.000Z)");
    expect(status.stdout).toContain("Outbox: 1 sent.");
  });

  test("deliver: a refused page is a dead letter, announced on the team channel; status lists it; retry queues it again", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/signalroom.yaml", "routingKey: ${env:PAGERDUTY_ROUTING_KEY}", `routingKey: \${env:PAGERDUTY_ROUTING_KEY}\n    endpoint: ${sink.url}/pd`);
    await writeState(root, { ...emptyState(new Date("2026-11-16T10:47:00.000Z")), outbox: [firing("oncall-pager")] });
    const clock = manualClock("2026-11-16T10:48:00.000Z");
    const env = { PAGERDUTY_ROUTING_KEY: "rk-12345", DISCORD_WEBHOOK_URL: `${sink.url}/discord` };
    sink.replyNext(2, { status: 400, body: '{"status":"invalid event","message":"Event object is invalid"}' });
    const before = sink.requests.length;
    const delivered = await runCli(["alert", "deliver", "--root", root], env, { clock });
    expect(sink.requests.slice(before).map((request) => request.path)).toEqual(["/pd", "/pd", "/discord?wait=true"]);
    expect(delivered.stderr).toContain("(dead letter: refused for good, announced via ops-discord; resend with npm run alert -- retry oncall-pager:");
    expect(delivered.stdout).toContain("✓ ops-discord: CRITICAL not delivered: Not delivered to oncall-pager");
    const key = firing("oncall-pager").key;

    const status = await runCli(["alert", "status", "--root", root], {}, { clock });
    expect(status.stdout).toContain("Outbox: 1 failed, 1 sent.");
    expect(status.stdout).toContain(`✗ dead letter to oncall-pager: 2 alerts firing: stripe-webhook-down, booking-queue-backup: route oncall-pager (pagerduty):`);

    const unknown = await runCli(["alert", "retry", "nope", "--root", root], {}, { clock });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`"nope" is not a dead letter in checks/state.json (dead letters: ${key}).`);
    const retried = await runCli(["alert", "retry", key, "--root", root], {}, { clock });
    expect(retried.stdout).toContain(`✓ Queued ${key} for oncall-pager again`);
    const again = await runCli(["alert", "deliver", "--root", root], env, { clock });
    expect(again.stdout).toContain("1 notification sent, 0 failures, 0 waiting.");
    expect((await readState(root, new Date())).outbox.map((entry) => [entry.route, entry.status])).toEqual([
      ["oncall-pager", "sent"],
      ["ops-discord", "sent"],
    ]);
  });
});
