/**
 * The demo's simulated provider world on 127.0.0.1: one HTTP server for the application endpoints, the
 * payment vendor's Statuspage and the notification sinks, a minimal PostgreSQL wire-protocol responder and
 * a minimal SMTP sink. Each endpoint answers as scripts/demo/behaviour.ts says for the clock's time.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { Clock } from "../core/clock.ts";
import { aiDeliveryStats, bookingStats, httpBehaviour, vendorStatus, type HttpBehaviour } from "./behaviour.ts";

export interface DeliveredNotification {
  at: string;
  channel: string;
  path: string;
  body: string;
}

export interface DemoWorld {
  env: Record<string, string>;
  /** Where each notification channel's requests go instead of the vendor's servers. */
  endpoints: { pagerduty: string; opsgenie: string; telegram: string; ntfy: string; github: string };
  delivered: DeliveredNotification[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of request) body += chunk;
  return body;
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

async function answer(response: ServerResponse, behaviour: HttpBehaviour, ok: () => void, failStatus: number): Promise<void> {
  await sleep(behaviour.latencyMs);
  if (behaviour.health === "down") json(response, failStatus, { error: "unavailable" });
  else ok();
}

function vendorSummary(at: Date, now: Date) {
  const status = vendorStatus(at, now);
  const updated = at.toISOString();
  const indicator = status === "major_outage" ? "major" : status === "degraded_performance" ? "minor" : "none";
  const incidents =
    status === "operational"
      ? []
      : [{ id: "demo-declines", name: "Elevated card declines", status: "identified", impact: indicator, created_at: updated, updated_at: updated, shortlink: "", incident_updates: [] }];
  return {
    page: { id: "demo-vendor", name: "Payment vendor", url: "https://status.vendor.example", time_zone: "Etc/UTC", updated_at: updated },
    status: { indicator, description: indicator === "none" ? "All Systems Operational" : "Partially Degraded Service" },
    components: [
      { id: "cards", name: "Card payments", status, created_at: updated, updated_at: updated, position: 1, description: null, showcase: true, group_id: null, group: false, only_show_if_degraded: false },
      { id: "payouts", name: "Payouts", status: "operational", created_at: updated, updated_at: updated, position: 2, description: null, showcase: true, group_id: null, group: false, only_show_if_degraded: false },
    ],
    incidents,
    scheduled_maintenances: [],
  };
}

/** Startup → AuthenticationOk → ReadyForQuery; any simple query answers one row with the value 1. */
function postgresResponder(clock: Clock, now: Date): Server {
  const message = (type: string, payload: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0, "latin1");
    head.writeInt32BE(payload.length + 4, 1);
    return Buffer.concat([head, payload]);
  };
  const cstring = (text: string) => Buffer.from(`${text}\0`, "utf8");
  const int32 = (value: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return buffer;
  };
  const int16 = (value: number) => {
    const buffer = Buffer.alloc(2);
    buffer.writeInt16BE(value);
    return buffer;
  };
  const ready = message("Z", Buffer.from("I"));
  const onConnection = (socket: Socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80877103) {
            socket.write("N"); // SSLRequest: no TLS in the demo
            continue;
          }
          started = true;
          if (httpBehaviour("database", clock.now(), now).health === "down") {
            socket.end(message("E", Buffer.concat([cstring("SFATAL"), cstring("C53300"), cstring("Mtoo many connections for role"), Buffer.from("\0")])));
            return;
          }
          socket.write(Buffer.concat([message("R", int32(0)), message("S", Buffer.concat([cstring("server_version"), cstring("15.0 (Signalroom demo)")])), ready]));
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        buffer = buffer.subarray(length + 1);
        if (type === "X") {
          socket.end();
          return;
        }
        if (type === "Q") {
          const column = Buffer.concat([cstring("?column?"), int32(0), int16(0), int32(23), int16(4), int32(-1), int16(0)]);
          socket.write(
            Buffer.concat([
              message("T", Buffer.concat([int16(1), column])),
              message("D", Buffer.concat([int16(1), int32(1), Buffer.from("1")])),
              message("C", cstring("SELECT 1")),
              ready,
            ]),
          );
        }
      }
    });
  };
  return createTcpServer(onConnection);
}

/** Accepts any mail: enough SMTP for the demo's email routes to deliver somewhere visible. */
function smtpSink(delivered: DeliveredNotification[], clock: Clock): Server {
  return createTcpServer((socket) => {
    let data = false;
    let body = "";
    socket.on("error", () => socket.destroy());
    socket.write("220 signalroom-demo ESMTP\r\n");
    let pending = "";
    socket.on("data", (chunk) => {
      pending += chunk.toString("utf8");
      let index;
      while ((index = pending.indexOf("\r\n")) !== -1) {
        const line = pending.slice(0, index);
        pending = pending.slice(index + 2);
        if (data) {
          if (line === ".") {
            data = false;
            delivered.push({ at: clock.now().toISOString(), channel: "email", path: "smtp", body });
            body = "";
            socket.write("250 queued\r\n");
          } else body += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250-signalroom-demo\r\n250 8BITMIME\r\n");
        else if (verb === "DATA") {
          data = true;
          socket.write("354 end with .\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 ok\r\n");
      }
    });
  });
}

interface DemoIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: { name: string }[];
  comments: { id: number; body: string }[];
}

/**
 * Just enough of GitHub's issues REST API for the demo's `github` route: list, create, comment, close.
 * Responses carry the fields the client reads; the issues live in memory for the demo's lifetime.
 */
function githubIssues(request: IncomingMessage, response: ServerResponse, path: string, body: string, issues: DemoIssue[]): void {
  const match = /^\/github\/repos\/[^/]+\/[^/]+\/issues(?:\/(\d+))?(\/comments)?$/.exec(path);
  if (!match) return json(response, 404, { message: "Not Found" });
  const [, number, comments] = match;
  const issue = number ? issues.find((candidate) => candidate.number === Number(number)) : undefined;
  const shape = (entry: DemoIssue) => ({ ...entry, id: entry.number, comments: entry.comments.length, html_url: `https://github.example/issues/${entry.number}` });
  const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  if (!number && request.method === "GET") return json(response, 200, issues.map(shape));
  if (!number && request.method === "POST") {
    const created: DemoIssue = { number: issues.length + 1, title: String(input.title), body: String(input.body ?? ""), state: "open", labels: ((input.labels as string[]) ?? []).map((name) => ({ name })), comments: [] };
    issues.push(created);
    return json(response, 201, shape(created));
  }
  if (!issue) return json(response, 404, { message: "Not Found" });
  if (comments && request.method === "GET") return json(response, 200, issue.comments);
  if (comments && request.method === "POST") {
    const comment = { id: issue.comments.length + 1, body: String(input.body ?? "") };
    issue.comments.push(comment);
    return json(response, 201, comment);
  }
  if (request.method === "PATCH") {
    if (input.state === "closed" || input.state === "open") issue.state = input.state;
    return json(response, 200, shape(issue));
  }
  json(response, 405, { message: "Method Not Allowed" });
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Starts the world; `now` is the demo's reference moment that past episodes are dated from. */
export async function startWorld(clock: Clock, now: Date): Promise<DemoWorld> {
  const delivered: DeliveredNotification[] = [];
  const issues: DemoIssue[] = [];
  const app = createHttpServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://demo").pathname;
    const at = clock.now();
    const body = await readBody(request);
    if (path.startsWith("/github/")) {
      if (request.method !== "GET") delivered.push({ at: at.toISOString(), channel: "github", path, body });
      return githubIssues(request, response, path, body, issues);
    }
    if (path.startsWith("/sink/")) {
      delivered.push({ at: at.toISOString(), channel: path.split("/")[2] ?? "unknown", path, body });
      json(response, path.includes("/pagerduty") ? 202 : 200, { ok: true, status: "success", message: "Event processed", dedup_key: "demo" });
      return;
    }
    switch (path) {
      case "/health":
        return answer(response, httpBehaviour("health", at, now), () => json(response, 200, { status: "ok" }), 503);
      case "/api/auth/ok":
        return answer(response, httpBehaviour("auth", at, now), () => json(response, 200, { ok: true }), 503);
      case "/webhooks/stripe":
        return answer(response, httpBehaviour("stripe", at, now), () => json(response, request.method === "POST" ? 200 : 405, { error: "use POST" }), 502);
      case "/scenario/orders":
        return answer(response, httpBehaviour("order", at, now), () => json(response, 200, { accepted: true, echo: body ? JSON.parse(body) : null }), 500);
      case "/webhooks/booking.changed/stats":
        return json(response, 200, bookingStats(at, now));
      case "/webhooks/ai.decision.logged/stats":
        return json(response, 200, aiDeliveryStats(at, now));
      case "/vendor/api/v2/summary.json":
        return json(response, 200, vendorSummary(at, now));
      default:
        json(response, 404, { error: "not found" });
    }
  });
  const postgres = postgresResponder(clock, now);
  const smtp = smtpSink(delivered, clock);
  const [appPort, postgresPort, smtpPort] = [await listen(app), await listen(postgres), await listen(smtp)];
  const base = `http://127.0.0.1:${appPort}`;
  return {
    env: {
      APP_BASE_URL: base,
      AUTH_BASE_URL: base,
      ORDER_SCENARIO_URL: `${base}/scenario/orders`,
      PAYMENT_VENDOR_STATUS_URL: `${base}/vendor/api/v2/summary.json`,
      DATABASE_URL: `postgres://demo:demo@127.0.0.1:${postgresPort}/demo`,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtpPort),
      SMTP_USER: "demo",
      SMTP_PASSWORD: "demo",
      DISCORD_WEBHOOK_URL: `${base}/sink/discord`,
      NTFY_BACKUP_TOPIC: "signalroom-backup",
      PAGERDUTY_ROUTING_KEY: "demo-routing-key",
      TELEGRAM_BOT_TOKEN: "demo-token",
      TELEGRAM_CHAT_ID: "42",
      GITHUB_REPOSITORY: "signalroom/demo",
      GITHUB_TOKEN: "demo-token",
    },
    endpoints: {
      pagerduty: `${base}/sink/pagerduty`,
      opsgenie: `${base}/sink/opsgenie`,
      telegram: `${base}/sink/telegram`,
      ntfy: `${base}/sink/ntfy`,
      github: `${base}/github`,
    },
    delivered,
    async close() {
      app.closeAllConnections();
      await Promise.all([app, postgres, smtp].map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
