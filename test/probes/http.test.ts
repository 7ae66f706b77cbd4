import { beforeAll, describe, expect, test } from "vitest";
import { systemClock } from "../../scripts/core/clock.ts";
import { selfSigned, type Certificate } from "../helpers/certificates.ts";
import { probeOne } from "../helpers/probe.ts";
import { closedPort, serveHttp, serveSilence, sleep } from "../helpers/servers.ts";

const json = (body: unknown, status = 200) => (_: unknown, response: import("node:http").ServerResponse) => {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
};

describe("http check: statuses and conditions", () => {
  test("a healthy endpoint is up, with status, latency and every condition recorded", async () => {
    const server = await serveHttp(json({ status: "ok", items: [1, 2, 3] }));
    const sample = await probeOne({
      type: "http",
      url: `${server.url}/health`,
      conditions: ["[STATUS] == 200", "[BODY].status == ok", "len([BODY].items) == 3", "[HEADER].content-type == pat(application/json*)", "[RESPONSE_TIME] < 5s"],
    });
    expect(sample).toMatchObject({ check: "probe-under-test", region: "test-region", run: "run-1", state: "up", status: 200 });
    expect(sample.error).toBeUndefined();
    expect(sample.latencyMs).toBeGreaterThanOrEqual(0);
    expect(sample.conditions?.map((c) => [c.text, c.ok])).toEqual([
      ["[STATUS] == 200", true],
      ["[BODY].status == ok", true],
      ["len([BODY].items) == 3", true],
      ["[HEADER].content-type == pat(application/json*)", true],
      ["[RESPONSE_TIME] < 5s", true],
    ]);
    expect(server.requests[0]?.headers["user-agent"]).toMatch(/^Signalroom-probe/);
  });

  test("a failing condition makes the sample down and says which rule failed and what it got", async () => {
    const server = await serveHttp(json({ status: "degraded" }, 503));
    const sample = await probeOne({ type: "http", url: server.url, expectStatus: ["2xx", 503], conditions: ["[STATUS] == 200", "[BODY].status == ok"] });
    expect(sample.state).toBe("down");
    expect(sample.status).toBe(503);
    expect(sample.conditions).toEqual([
      { text: "[STATUS] == 200", ok: false, actual: "503" },
      { text: "[BODY].status == ok", ok: false, actual: "degraded" },
    ]);
    expect(sample.error).toBe("[STATUS] == 200 ✗ got 503; [BODY].status == ok ✗ got degraded");
  });

  test("405 is accepted when listed (playbook: GET on a webhook endpoint), and down when not", async () => {
    const server = await serveHttp((_, response) => response.writeHead(405).end());
    expect((await probeOne({ type: "http", url: server.url, expectStatus: [200, 405] })).state).toBe("up");
    const strict = await probeOne({ type: "http", url: server.url, expectStatus: [200] });
    expect(strict).toMatchObject({ state: "down", status: 405, error: "status 405, expected 200" });
    expect((await probeOne({ type: "http", url: server.url, expectStatus: ["400-499"] })).state).toBe("up");
    expect((await probeOne({ type: "http", url: server.url })).error).toBe("status 405, expected 2xx");
  });

  test("method, headers and a JSON body are sent as configured, with a request id", async () => {
    const bodies: string[] = [];
    const server = await serveHttp(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      bodies.push(body);
      response.writeHead(200).end("ok");
    });
    const sample = await probeOne({ type: "http", url: `${server.url}/hook`, method: "POST", headers: { "X-Team": "ops" }, json: { test: true } });
    expect(sample.state).toBe("up");
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/hook" });
    expect(server.requests[0]!.headers).toMatchObject({ "x-team": "ops", "content-type": "application/json" });
    expect(bodies).toEqual(['{"test":true}']);
    expect(server.requests[0]!.headers["x-request-id"]).toBe(sample.log.find((entry) => entry.requestId)!.requestId);
  });

  test("a latency objective turns a slow but correct answer into degraded", async () => {
    const server = await serveHttp(async (_, response) => {
      await sleep(120);
      response.writeHead(200).end("ok");
    });
    const sample = await probeOne({ type: "http", url: server.url, latencyObjective: "50ms" });
    expect(sample.state).toBe("degraded");
    expect(sample.error).toMatch(/^slower than the 50 ms objective \(\d+ ms\)$/);
  });

  test("degradedConditions make a sample degraded, conditions make it down", async () => {
    const server = await serveHttp(json({ queue: 40 }));
    const degraded = await probeOne({ type: "http", url: server.url, conditions: ["[BODY].queue < 100"], degradedConditions: ["[BODY].queue < 10"] });
    expect(degraded).toMatchObject({ state: "degraded", error: "[BODY].queue < 10 ✗ got 40" });
  });

  test("a body condition on invalid JSON fails clearly instead of crashing", async () => {
    const server = await serveHttp((_, response) => response.writeHead(200, { "content-type": "application/json" }).end("{not json"));
    const sample = await probeOne({ type: "http", url: server.url, conditions: ["[BODY].status == ok", "[BODY] == pat(*not json*)"] });
    expect(sample.state).toBe("down");
    expect(sample.conditions).toEqual([
      { text: "[BODY].status == ok", ok: false, actual: "nothing" },
      { text: "[BODY] == pat(*not json*)", ok: true, actual: "{not json" },
    ]);
  });

  test("HEAD requests need no body", async () => {
    const server = await serveHttp((_, response) => response.writeHead(204).end());
    expect((await probeOne({ type: "http", url: server.url, method: "HEAD" })).state).toBe("up");
  });

  test("IPv6 loopback works like IPv4", async () => {
    const server = await serveHttp(json({ ok: true }), { host: "::1" });
    const sample = await probeOne({ type: "http", url: `${server.url}/`, conditions: ["[BODY].ok == true"] });
    expect(sample.state).toBe("up");
    const connect = sample.log.find((entry) => entry.requestId)!.context.phases as { phase: string; remote?: string }[];
    expect(connect.find((phase) => phase.phase === "connect")?.remote).toBe(`[::1]:${server.port}`);
  });
});

describe("http check: redirects", () => {
  test("redirects are followed up to the limit", async () => {
    const server = await serveHttp((request, response) => {
      const step = Number(request.url!.slice(1) || 0);
      if (step < 3) response.writeHead(302, { location: `/${step + 1}` }).end();
      else response.writeHead(200).end("arrived");
    });
    expect(await probeOne({ type: "http", url: server.url, conditions: ["[BODY] == arrived"] })).toMatchObject({ state: "up", status: 200 });
    const limited = await probeOne({ type: "http", url: server.url, maxRedirects: 2 });
    expect(limited).toMatchObject({ state: "down", status: 302, error: "more than 2 redirects (maxRedirects), last to /3" });
    const notFollowed = await probeOne({ type: "http", url: server.url, followRedirects: false, expectStatus: [302] });
    expect(notFollowed).toMatchObject({ state: "up", status: 302 });
  });

  test("a redirect loop is named as such, with its path", async () => {
    const server = await serveHttp((request, response) => response.writeHead(301, { location: request.url === "/a" ? "/b" : "/a" }).end());
    const sample = await probeOne({ type: "http", url: `${server.url}/a`, maxRedirects: 10 });
    expect(sample).toMatchObject({ state: "down", error: "redirect loop: /a → /b → /a" });
  });

  test("303 turns a POST into a GET without the body", async () => {
    const server = await serveHttp((request, response) => {
      if (request.url === "/submit") response.writeHead(303, { location: "/done" }).end();
      else response.writeHead(200).end();
    });
    await probeOne({ type: "http", url: `${server.url}/submit`, method: "POST", body: "payload" });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /submit", "GET /done"]);
  });

  test("credentials are not carried to another origin", async () => {
    const other = await serveHttp((_, response) => response.writeHead(200).end());
    const first = await serveHttp((_, response) => response.writeHead(302, { location: `${other.url}/landing` }).end());
    const sample = await probeOne(
      { type: "http", url: first.url, headers: { Authorization: "Bearer ${env:TOKEN}", "X-Api-Key": "${env:KEY}" } },
      { env: { TOKEN: "abcdefgh12345678", KEY: "key-12345678" } },
    );
    expect(sample.state).toBe("up");
    expect(first.requests[0]!.headers.authorization).toBe("Bearer abcdefgh12345678");
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
  });
});

describe("http check: faults", () => {
  test("a closed port is down: connection refused", async () => {
    const port = await closedPort();
    const sample = await probeOne({ type: "http", url: `http://127.0.0.1:${port}/` });
    expect(sample).toMatchObject({ state: "down", error: `connection refused by 127.0.0.1:${port}` });
    expect(sample.latencyMs).toBeUndefined();
  });

  test("a port that accepts and never answers times out", async () => {
    const silent = await serveSilence();
    const sample = await probeOne({ type: "http", url: silent.url, timeout: "300ms" });
    expect(sample).toMatchObject({ state: "down", error: "timed out after 300ms" });
    expect(silent.accepted()).toBe(1);
  });

  test("a slow response past the timeout is down; within it, up", async () => {
    const server = await serveHttp(async (_, response) => {
      await sleep(400);
      response.writeHead(200).end("late");
    });
    expect(await probeOne({ type: "http", url: server.url, timeout: "150ms" })).toMatchObject({ state: "down", error: "timed out after 150ms" });
    expect((await probeOne({ type: "http", url: server.url, timeout: "3s" })).state).toBe("up");
  });

  test("a connection reset before the answer is down with a clear error", async () => {
    const server = await serveHttp((request) => request.socket.destroy());
    const sample = await probeOne({ type: "http", url: server.url });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/^the connection to 127\.0\.0\.1:\d+ (was reset|closed before the response was complete)$/);
  });

  test("a reset in the middle of the body is down", async () => {
    const server = await serveHttp((request, response) => {
      response.writeHead(200, { "content-length": "1000" });
      response.write("partial");
      setTimeout(() => request.socket.destroy(), 20);
    });
    const sample = await probeOne({ type: "http", url: server.url });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/^the connection to 127\.0\.0\.1:\d+ (was reset|closed before the response was complete)$/);
  });

  test("a 50 MB body is cut off at the size cap without reading it all", async () => {
    const chunk = Buffer.alloc(1024 * 1024, "x");
    let written = 0;
    const server = await serveHttp(async (_, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      for (let i = 0; i < 50 && !response.destroyed; i++) {
        if (!response.write(chunk)) await new Promise((resolve) => response.once("drain", resolve).once("close", resolve));
        written++;
      }
      response.end();
    });
    const sample = await probeOne({ type: "http", url: server.url, maxBodyBytes: 1_048_576 });
    expect(sample).toMatchObject({ state: "down", status: 200, error: "the response body is larger than the 1 MiB limit (maxBodyBytes)" });
    expect(written).toBeLessThan(50);
  });

  test("a declared length over the cap fails before reading", async () => {
    const server = await serveHttp((_, response) => response.writeHead(200, { "content-length": String(50 * 1024 * 1024) }).end());
    const sample = await probeOne({ type: "http", url: server.url, maxBodyBytes: 1024 });
    expect(sample.error).toBe("the response body is larger than the 1 KiB limit (maxBodyBytes)");
  });

  test("a name that does not resolve is down, naming it", async () => {
    const sample = await probeOne({ type: "http", url: "http://signalroom-probe.invalid/" });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/signalroom-probe\.invalid/);
  });

  test("a URL that is not http(s) is an error of the check, not of the target", async () => {
    expect(await probeOne({ type: "http", url: "ftp://127.0.0.1/" })).toMatchObject({ state: "error", error: "url must start with http:// or https://, not ftp://" });
  });
});

describe("https check: certificates", () => {
  let valid: Certificate;
  let expiring: Certificate;
  let expired: Certificate;
  // Certificates are made against the real time, so the probe's clock must be the real one here.
  const now = { clock: systemClock };
  beforeAll(async () => {
    [valid, expiring, expired] = await Promise.all([selfSigned(-1, 90), selfSigned(-1, 3), selfSigned(-60, -2)]);
  });

  test("a self-signed certificate is not trusted: down, with its days left still recorded", async () => {
    const server = await serveHttp(json({ ok: true }), { tls: valid });
    const sample = await probeOne({ type: "http", url: server.url }, now);
    expect(sample.state).toBe("down");
    expect(sample.error).toBe(`the certificate of 127.0.0.1:${server.port} is self-signed and not trusted`);
    expect(sample.certDaysLeft).toBeGreaterThanOrEqual(88);
    expect(server.requests).toHaveLength(0);
  });

  test("insecure accepts it, and records days left and the TLS phase", async () => {
    const server = await serveHttp(json({ ok: true }), { tls: valid });
    const sample = await probeOne({ type: "http", url: server.url, insecure: true, conditions: ["[CERT_DAYS] > 30"] }, now);
    expect(sample.state).toBe("up");
    expect(sample.certDaysLeft).toBeGreaterThanOrEqual(88);
    const phases = (sample.log.find((entry) => entry.requestId)!.context.phases as { phase: string }[]).map((phase) => phase.phase);
    expect(phases).toEqual(["connect", "tls", "firstByte", "done"]);
  });

  test("a certificate expiring in 3 days is degraded", async () => {
    const server = await serveHttp(json({ ok: true }), { tls: expiring });
    const sample = await probeOne({ type: "http", url: server.url, insecure: true, minCertDays: 14 }, now);
    expect(sample.state).toBe("degraded");
    expect(sample.certDaysLeft).toBe(2);
    expect(sample.error).toBe("the certificate expires in 2 days (fewer than 14)");
  });

  test("an expired certificate is down, even when insecure", async () => {
    const server = await serveHttp(json({ ok: true }), { tls: expired });
    const strict = await probeOne({ type: "http", url: server.url }, now);
    expect(strict.state).toBe("down");
    expect(strict.error).toMatch(new RegExp(`^the certificate of 127\\.0\\.0\\.1:${server.port} expired on \\d{4}-\\d\\d-\\d\\dT`));
    expect(strict.certDaysLeft).toBe(-2);
    const lax = await probeOne({ type: "http", url: server.url, insecure: true }, now);
    expect(lax).toMatchObject({ state: "down", error: "the certificate expired 2 days ago" });
  });
});
