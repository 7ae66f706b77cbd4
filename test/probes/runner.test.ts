import { describe, expect, test } from "vitest";
import type { Sample } from "../../scripts/core/schema/records.ts";
import { makeCheck, run } from "../helpers/probe.ts";
import { serveHttp, serveSilence, sleep } from "../helpers/servers.ts";

describe("runner: concurrency and isolation", () => {
  test("never more checks in flight than the concurrency", async () => {
    let inFlight = 0;
    let most = 0;
    const server = await serveHttp(async (_, response) => {
      most = Math.max(most, ++inFlight);
      await sleep(150);
      inFlight--;
      response.writeHead(200).end();
    });
    const checks = Array.from({ length: 8 }, (_, i) => makeCheck({ id: `c${i}`, type: "http", url: `${server.url}/${i}` }));
    const { samples } = await run(checks, { concurrency: 3 });
    expect(samples.map((sample) => sample.state)).toEqual(Array(8).fill("up"));
    expect(most).toBe(3);
  });

  test("a hung target does not hold up the others: they all finish while it still hangs", async () => {
    const silent = await serveSilence();
    const fast = await serveHttp((_, response) => response.writeHead(200).end());
    const checks = [
      makeCheck({ id: "hung", type: "http", url: silent.url, timeout: "60s" }),
      ...Array.from({ length: 6 }, (_, i) => makeCheck({ id: `fast-${i}`, type: "http", url: fast.url })),
    ];
    const order: string[] = [];
    const onSample = (sample: Sample, done: number, total: number) => {
      order.push(`${sample.check} ${done}/${total}`);
      // Only once every other check is done does the hung target let go.
      if (done === 6) silent.hangUp();
    };
    const { samples } = await run(checks, { concurrency: 2, onSample });
    expect(order).toEqual([...Array.from({ length: 6 }, (_, i) => `fast-${i} ${i + 1}/7`), "hung 7/7"]);
    expect(samples[0]).toMatchObject({ check: "hung", state: "down" });
    expect(samples[0]!.error).toMatch(/^the connection to 127\.0\.0\.1:\d+ (was reset|closed before the response was complete)$/);
    expect(samples.map((sample) => sample.check)).toEqual(checks.map((check) => check.id));
  });

  test("the run budget ends the run: the running check is down, those not started are errors, saying so", async () => {
    const silent = await serveSilence();
    const checks = ["first", "second", "third"].map((id) => makeCheck({ id, type: "http", url: silent.url, timeout: "30s" }));
    const { samples, log } = await run(checks, { concurrency: 1, budgetMs: 300 });
    expect(samples.map(({ check, state, error }) => ({ check, state, error }))).toEqual([
      { check: "first", state: "down", error: "the run budget of 300ms ended before the check finished" },
      { check: "second", state: "error", error: "the run budget of 300ms ended before it started" },
      { check: "third", state: "error", error: "the run budget of 300ms ended before it started" },
    ]);
    expect(log.find((entry) => entry.level === "warning" && entry.service === "probe")?.message).toBe("the run budget of 300ms ended; 2 checks were not probed");
  });
});

describe("runner: retries inside a run", () => {
  test("a failure retried with backoff that then succeeds is up; each attempt has its own request id", async () => {
    let calls = 0;
    const server = await serveHttp((_, response) => response.writeHead(++calls === 1 ? 503 : 200).end());
    const { samples, log } = await run([makeCheck({ type: "http", url: server.url, retries: 2 })]);
    expect(samples[0]).toMatchObject({ state: "up", status: 200 });
    const attempts = log.filter((entry) => entry.requestId);
    expect(attempts.map((entry) => [entry.level, entry.context.attempt, entry.message.replace(/\d+ ms/, "N ms")])).toEqual([
      ["warning", 1, "down (503) in N ms: status 503, expected 2xx; retrying"],
      ["debug", 2, "up (200) in N ms"],
    ]);
    expect(new Set(attempts.map((entry) => entry.requestId)).size).toBe(2);
    expect(server.requests.map((request) => request.headers["x-request-id"])).toEqual(attempts.map((entry) => entry.requestId));
  });

  test("a failure that persists counts after the last attempt, logged as an error", async () => {
    const server = await serveHttp((_, response) => response.writeHead(500).end());
    const { samples, log } = await run([makeCheck({ type: "http", url: server.url, retries: 1 })]);
    expect(samples[0]).toMatchObject({ state: "down", status: 500 });
    expect(log.filter((entry) => entry.requestId).map((entry) => entry.level)).toEqual(["warning", "error"]);
    expect(server.requests).toHaveLength(2);
  });

  test("degraded is not retried: it is an answer, not a failure", async () => {
    const server = await serveHttp(async (_, response) => {
      await sleep(60);
      response.writeHead(200).end();
    });
    const { samples } = await run([makeCheck({ type: "http", url: server.url, retries: 2, latencyObjective: "10ms" })]);
    expect(samples[0]!.state).toBe("degraded");
    expect(server.requests).toHaveLength(1);
  });
});

describe("runner: samples and the run log", () => {
  test("every sample carries check, region and run id; the log has run, request ids and the lifecycle", async () => {
    const server = await serveHttp((_, response) => response.writeHead(200).end("ok"));
    const url = `http://localhost:${server.port}/`;
    const { samples, log } = await run([makeCheck({ id: "by-name", type: "http", url }), makeCheck({ id: "by-address", type: "tcp", host: "127.0.0.1", port: server.port })], {
      region: "eu-west",
      runId: "run-42",
    });
    expect(samples.map(({ at, check, region, run }) => ({ at, check, region, run }))).toEqual([
      { at: "2026-11-16T10:45:00.000Z", check: "by-name", region: "eu-west", run: "run-42" },
      { at: "2026-11-16T10:45:00.000Z", check: "by-address", region: "eu-west", run: "run-42" },
    ]);
    expect(log.every((entry) => entry.run === "run-42")).toBe(true);
    expect(log[0]).toMatchObject({ level: "info", service: "probe", message: "probing 2 checks", context: { region: "eu-west" } });
    expect(log.at(-1)).toMatchObject({ level: "info", service: "probe", context: { up: 2 } });
    const http = log.find((entry) => entry.check === "by-name")!;
    expect(http).toMatchObject({ service: "probe.http", provider: "test-provider", level: "debug" });
    expect(http.durationMs).toBeGreaterThanOrEqual(0);
    expect((http.context.phases as { phase: string }[]).map((phase) => phase.phase)).toEqual(["dns", "connect", "firstByte", "done"]);
    const tcp = log.find((entry) => entry.check === "by-address")!;
    expect((tcp.context.phases as { phase: string }[]).map((phase) => phase.phase)).toEqual(["connect", "done"]);
  });

  test("a missing environment variable is an error sample naming it; nothing is sent and the run goes on", async () => {
    const server = await serveHttp((_, response) => response.writeHead(200).end());
    const { samples, log } = await run([
      makeCheck({ id: "needs-secrets", type: "http", url: "${env:BASE_URL}/health", headers: { Authorization: "Bearer ${env:API_TOKEN}" } }),
      makeCheck({ id: "fine", type: "http", url: server.url }),
    ]);
    expect(samples.map(({ check, state, error }: Sample) => ({ check, state, error }))).toEqual([
      { check: "needs-secrets", state: "error", error: "environment variables BASE_URL, API_TOKEN are not set" },
      { check: "fine", state: "up", error: undefined },
    ]);
    expect(log.find((entry) => entry.check === "needs-secrets")).toMatchObject({ level: "error", message: "not probed: environment variables BASE_URL, API_TOKEN are not set" });
    expect(server.requests).toHaveLength(1);
  });

  test("placeholders are resolved at run time from the environment given", async () => {
    const server = await serveHttp((_, response) => response.writeHead(200).end());
    const { samples } = await run([makeCheck({ type: "http", url: "${env:BASE_URL}/health", headers: { "X-Team": "${env:TEAM}" } })], {
      env: { BASE_URL: server.url, TEAM: "platform" },
    });
    expect(samples[0]!.state).toBe("up");
    expect(server.requests[0]).toMatchObject({ url: "/health", headers: { "x-team": "platform" } });
  });

  test("no checks is an empty run, not a failure", async () => {
    const { samples, log } = await run([]);
    expect(samples).toEqual([]);
    expect(log.map((entry) => entry.message)).toEqual(["probing 0 checks", expect.stringMatching(/^probed 0 checks in \d+ ms$/)]);
  });
});
