import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { dueNotifications, GIVE_UP_MS } from "../../scripts/core/alerts/outbox.ts";
import type { Notification } from "../../scripts/core/schema/records.ts";
import { deliverOutbox } from "../../scripts/notify/deliver.ts";
import { LOCK_DIR } from "../../scripts/store/lock.ts";
import { emptyState, readState, writeState } from "../../scripts/store/state.ts";
import { route as routeSchema, type Route } from "../../scripts/schemas.ts";
import { startRecorder, type Recorder } from "../helpers/recorder.ts";
import { edit, exampleWorkspace, REPO } from "../helpers/workspace.ts";
import { firing, resolved } from "./fixtures.ts";

const T0 = "2026-11-16T10:47:00.000Z";

describe("the outbox: sent only once accepted, retried with backoff, nothing lost", () => {
  let server: Recorder;
  beforeAll(async () => {
    server = await startRecorder();
  });
  afterAll(() => server.close());

  const routes = () => [routeSchema.parse({ id: "chat", channel: "webhook", url: `${server.url}/chat` }) as Route, routeSchema.parse({ id: "mail", channel: "webhook", url: `${server.url}/mail` }) as Route];

  async function run(outbox: Notification[], clock: ReturnType<typeof manualClock>, extra: { timeoutMs?: number } = {}) {
    const writes: Notification[][] = [];
    const report = await deliverOutbox(outbox, { config: { routes: routes(), severityRoutes: { critical: [], high: [], warning: [], info: [] } }, env: {}, clock, persist: async (snapshot) => void writes.push(snapshot), ...extra });
    return { ...report, writes };
  }

  test("a channel that is down keeps its queue in order, retries with backoff, and delivers everything once it is back", async () => {
    const clock = manualClock(T0);
    server.replyNext(1, { status: 503 });
    const before = server.requests.length;
    let { outbox, writes } = await run([firing("chat"), { ...resolved("chat"), createdAt: "2026-11-16T11:37:00.000Z" }], clock);
    expect(outbox.map((entry) => [entry.status, entry.attempts, entry.nextAttemptAt])).toEqual([
      ["retrying", 1, "2026-11-16T10:48:00.000Z"],
      ["pending", 0, undefined],
    ]);
    expect(outbox[0]!.lastError).toMatch(/answered 503/);
    // The mark is on disk before the channel is called.
    expect(writes[0]![0]!.status).toBe("sending");
    // The resolution waited behind the trigger: it never overtakes it.
    expect(server.requests.length - before).toBe(1);

    clock.advance(30_000);
    ({ outbox } = await run(outbox, clock));
    expect(server.requests.length - before).toBe(1);

    clock.advance(60_000);
    server.replyNext(1, { status: 500 });
    ({ outbox } = await run(outbox, clock));
    expect(outbox[0]).toMatchObject({ status: "retrying", attempts: 2, nextAttemptAt: "2026-11-16T10:50:30.000Z" });

    clock.advance(5 * 60_000);
    ({ outbox } = await run(outbox, clock));
    expect(outbox.map((entry) => entry.status)).toEqual(["sent", "sent"]);
    const kinds = server.requests.slice(before).map((request) => request.headers["x-signalroom-event"]);
    expect(kinds).toEqual(["trigger", "trigger", "trigger", "resolve"]);
  });

  test("a slow channel costs at most the timeout and never blocks another route", async () => {
    const clock = manualClock(T0);
    server.replyNext(1, { delayMs: 2000 });
    const { outbox } = await run([firing("chat"), firing("mail")], clock, { timeoutMs: 300 });
    expect(outbox.map((entry) => [entry.route, entry.status])).toEqual([
      ["chat", "retrying"],
      ["mail", "sent"],
    ]);
  });

  test("Retry-After is honoured; after three days a notification is given up and kept for the record", async () => {
    const clock = manualClock(T0);
    server.replyNext(1, { status: 429, headers: { "retry-after": "600" } });
    let { outbox } = await run([firing("chat")], clock);
    expect(outbox[0]!.nextAttemptAt).toBe("2026-11-16T10:57:00.000Z");
    clock.advance(GIVE_UP_MS);
    server.replyNext(1, { status: 502 });
    ({ outbox } = await run(outbox, clock));
    expect(outbox[0]).toMatchObject({ status: "failed" });
    expect(dueNotifications(outbox, clock.now())).toEqual([]);
  });

  test("a notification held by quiet hours waits for its time", async () => {
    const clock = manualClock(T0);
    const held = { ...firing("chat"), status: "delayed" as const, nextAttemptAt: "2026-11-17T06:00:00.000Z" };
    let { outbox } = await run([held], clock);
    expect(outbox[0]!.status).toBe("delayed");
    clock.set("2026-11-17T06:00:00.000Z");
    ({ outbox } = await run(outbox, clock));
    expect(outbox[0]!.status).toBe("sent");
  });
});

describe("a crash between send and record neither loses nor duplicates", () => {
  /**
   * A PagerDuty-shaped server that kills the delivering process the moment the event arrives (the channel
   * has it, the process never learns), then answers like PagerDuty: one alert per dedup_key.
   */
  async function killingPagerDuty() {
    const events: { dedup_key: string; event_action: string }[] = [];
    const alerts = new Set<string>();
    let victim: number | undefined;
    const server = createServer(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      const event = JSON.parse(body);
      events.push(event);
      alerts.add(event.dedup_key);
      if (victim !== undefined) {
        process.kill(victim, "SIGKILL");
        victim = undefined;
      }
      response.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", dedup_key: event.dedup_key }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`,
      events,
      alerts,
      killNext: (pid: number) => (victim = pid),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  function deliverInChild(root: string, env: Record<string, string>, onStart: (pid: number) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(REPO, "scripts/signalroom.mjs"), "alert", "deliver", "--root", root], { env: { ...process.env, ...env, NO_COLOR: "1" } });
      onStart(child.pid!);
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.on("exit", (code, signal) => resolve({ code, signal, output }));
    });
  }

  test("killed after PagerDuty accepted: the entry stays `sending`, the next run resends with the same dedup_key", async () => {
    const pagerduty = await killingPagerDuty();
    try {
      const root = await exampleWorkspace();
      await edit(root, "checks/signalroom.yaml", "routingKey: ${env:PAGERDUTY_ROUTING_KEY}", `routingKey: \${env:PAGERDUTY_ROUTING_KEY}\n    endpoint: ${pagerduty.url}`);
      await writeState(root, { ...emptyState(new Date(T0)), outbox: [firing("oncall-pager")] });
      const env = { PAGERDUTY_ROUTING_KEY: "routing-key-1234" };

      const crashed = await deliverInChild(root, env, (pid) => pagerduty.killNext(pid));
      expect(crashed.signal).toBe("SIGKILL");
      const afterCrash = await readState(root, new Date());
      expect(afterCrash.outbox[0]).toMatchObject({ status: "sending", attempts: 1 });
      expect(pagerduty.events).toHaveLength(1);

      // The next run is a new job on a fresh checkout: the dead process's lock folder is not in git.
      await rm(join(root, LOCK_DIR), { recursive: true, force: true });
      const resumed = await deliverInChild(root, env, () => {});
      expect(resumed.code).toBe(0);
      const final = await readState(root, new Date());
      expect(final.outbox[0]).toMatchObject({ status: "sent", attempts: 2 });
      // The process died before it could record the first event as accepted, so the next run sent it again with
      // the same dedup_key, which PagerDuty folds into the alert it already has: nothing lost, nothing doubled.
      expect(pagerduty.events.map((event) => [event.event_action, event.dedup_key])).toEqual([
        ["trigger", "stripe-webhook-down@20261116T1047Z"],
        ["trigger", "stripe-webhook-down@20261116T1047Z"],
        ["trigger", "booking-queue-backup@20261116T1047Z"],
      ]);
      expect(pagerduty.alerts.size).toBe(2);
      expect(resumed.output).toContain("1 notification sent, 0 failures, 0 waiting.");
    } finally {
      await pagerduty.close();
    }
  });
});
