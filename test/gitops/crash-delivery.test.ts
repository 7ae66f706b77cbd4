/**
 * A probe job in Actions dies between sending its notifications and pushing their outcome (the job is
 * cancelled, the runner is lost): a real `probe --push` process is killed with SIGKILL the moment every
 * channel stand-in has received its message, before any of them answers. The next job, on a fresh clone of
 * the remote, must send exactly those notifications again, with the same idempotency keys, and plan nothing new.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { stateFile } from "../../scripts/core/schema/records.ts";
import { spawnCli } from "../helpers/cli.ts";
import { showFile } from "../helpers/git.ts";
import { outageWorld, RULE } from "../helpers/outage.ts";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Stand-ins for PagerDuty, Opsgenie, a signed webhook and Slack on one loopback server; `holdUntil` keeps every answer back until that many requests arrived, then runs `then`. */
async function channels() {
  const received: Received[] = [];
  let hold: { count: number; then: () => void } | undefined;
  const waiting: (() => void)[] = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    received.push({ path: request.url ?? "/", headers: request.headers, body: JSON.parse(body) });
    const answer = () => {
      if (!response.destroyed) response.writeHead(request.url?.startsWith("/slack") ? 200 : 202, { "content-type": "application/json" }).end("{}");
    };
    if (!hold) return answer();
    waiting.push(answer);
    if (received.length >= hold.count) {
      const { then } = hold;
      hold = undefined;
      then();
      for (const release of waiting.splice(0)) release();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    holdUntil: (count: number, then: () => void) => (hold = { count, then }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("a job killed between sending and pushing", () => {
  test("the next job resends the same notifications with the same keys: PagerDuty and Opsgenie fold them, the webhook carries the same delivery id", async () => {
    const sinks = await channels();
    try {
      const { origin, target } = await outageWorld({
        config: {
          routes: [
            { id: "pager", channel: "pagerduty", routingKey: "${env:PD_KEY}", endpoint: `${sinks.url}/pd/v2/enqueue` },
            { id: "genie", channel: "opsgenie", apiKey: "${env:GENIE_KEY}", endpoint: `${sinks.url}/genie` },
            { id: "hook", channel: "webhook", url: `${sinks.url}/hook`, secret: "${env:HOOK_SECRET}" },
            { id: "chat", channel: "slack", webhookUrl: "${env:SLACK_URL}" },
          ],
        },
        rule: { severity: "critical", routes: ["pager", "genie", "hook", "chat"], incident: false },
      });
      const env = { PD_KEY: "pd-routing-key-1", GENIE_KEY: "genie-key-1", HOOK_SECRET: "hook-secret-1", SLACK_URL: `${sinks.url}/slack` };
      target.healthy = false;

      const first = spawnCli("probe", ["--root", await origin.clone("job-1"), "--push"], env);
      sinks.holdUntil(4, () => first.child.kill("SIGKILL"));
      await first.done;
      expect(first.child.signalCode, JSON.stringify(first.output())).toBe("SIGKILL");
      const sentByFirst = sinks.received.splice(0);
      expect(sentByFirst.map((request) => request.path).sort()).toEqual(["/genie/v2/alerts", "/hook", "/pd/v2/enqueue", "/slack"]);

      // What the dead job left on the remote: the outbox it was about to deliver, nothing marked sent.
      const left = stateFile.parse(JSON.parse((await showFile(origin.bare, "main", "checks/state.json"))!));
      expect(left.outbox.map((entry) => [entry.route, entry.status]).sort()).toEqual([
        ["chat", "pending"],
        ["genie", "pending"],
        ["hook", "pending"],
        ["pager", "pending"],
      ]);

      const second = spawnCli("probe", ["--root", await origin.clone("job-2"), "--push"], env);
      expect(await second.done).toBe(0);
      const sentBySecond = sinks.received.splice(0);
      const by = (list: Received[], path: string) => list.find((request) => request.path === path)!;
      // PagerDuty: the same dedup_key, folded into the alert the first job opened.
      expect(by(sentBySecond, "/pd/v2/enqueue").body.dedup_key).toBe(by(sentByFirst, "/pd/v2/enqueue").body.dedup_key);
      expect(String(by(sentBySecond, "/pd/v2/enqueue").body.dedup_key)).toMatch(new RegExp(`^${RULE}@`));
      // Opsgenie: the same alias, which it de-duplicates while the alert is open.
      expect(by(sentBySecond, "/genie/v2/alerts").body.alias).toBe(by(sentByFirst, "/genie/v2/alerts").body.alias);
      // Signed webhook: the same delivery id (and so the same signed body), for the receiver to drop.
      expect(by(sentBySecond, "/hook").headers["x-signalroom-delivery"]).toBe(by(sentByFirst, "/hook").headers["x-signalroom-delivery"]);
      expect(by(sentBySecond, "/hook").headers["x-signalroom-signature"]).toBe(by(sentByFirst, "/hook").headers["x-signalroom-signature"]);
      // Slack has no idempotency key: the message shows twice, once, as docs/alerting.md says.
      expect(sentBySecond.map((request) => request.path).sort()).toEqual(["/genie/v2/alerts", "/hook", "/pd/v2/enqueue", "/slack"]);

      const final = stateFile.parse(JSON.parse((await showFile(origin.bare, "main", "checks/state.json"))!));
      expect(final.outbox.map((entry) => [entry.route, entry.status, entry.key]).sort()).toEqual(left.outbox.map((entry) => [entry.route, "sent", entry.key]).sort());
    } finally {
      await sinks.close();
    }
  });
});
