import { beforeAll, describe, expect, test } from "vitest";
import { systemClock } from "../../scripts/core/clock.ts";
import { selfSigned, type Certificate } from "../helpers/certificates.ts";
import { probeOne } from "../helpers/probe.ts";
import { closedPort, serveHttp, serveSilence } from "../helpers/servers.ts";

describe("tcp check", () => {
  test("an open port is up, with the connect time as latency", async () => {
    const silent = await serveSilence();
    const sample = await probeOne({ type: "tcp", host: "127.0.0.1", port: silent.port, conditions: ["[CONNECTED] == true", "[RESPONSE_TIME] < 5000"] });
    expect(sample).toMatchObject({ state: "up" });
    expect(sample.latencyMs).toBeGreaterThanOrEqual(0);
    expect(sample.conditions?.every((condition) => condition.ok)).toBe(true);
  });

  test("over IPv6 loopback too", async () => {
    const silent = await serveSilence("::1");
    expect((await probeOne({ type: "tcp", host: "::1", port: silent.port })).state).toBe("up");
  });

  test("a closed port is down: connection refused", async () => {
    const port = await closedPort();
    expect(await probeOne({ type: "tcp", host: "127.0.0.1", port })).toMatchObject({ state: "down", error: `connection refused by 127.0.0.1:${port}` });
  });

  test("a check that a port stays closed: [CONNECTED] == false", async () => {
    const port = await closedPort();
    expect(await probeOne({ type: "tcp", host: "127.0.0.1", port, conditions: ["[CONNECTED] == false"] })).toMatchObject({ state: "up" });
    const silent = await serveSilence();
    const open = await probeOne({ type: "tcp", host: "127.0.0.1", port: silent.port, conditions: ["[CONNECTED] == false"] });
    expect(open).toMatchObject({ state: "down", error: "[CONNECTED] == false ✗ got true" });
  });

  test("a port from a placeholder that is not a number is an error of the check", async () => {
    const sample = await probeOne({ type: "tcp", host: "127.0.0.1", port: "${env:DB_PORT}" }, { env: { DB_PORT: "five" } });
    expect(sample).toMatchObject({ state: "error", error: "port must be a number from 1 to 65535 once its placeholder is filled in" });
  });
});

describe("tls check", () => {
  let valid: Certificate;
  let expiring: Certificate;
  let expired: Certificate;
  const now = { clock: systemClock };
  beforeAll(async () => {
    [valid, expiring, expired] = await Promise.all([selfSigned(-1, 200), selfSigned(-1, 3), selfSigned(-30, -1)]);
  });

  test("handshake and days left without any HTTP request", async () => {
    const server = await serveHttp(() => undefined, { tls: valid });
    const sample = await probeOne({ type: "tls", host: "127.0.0.1", port: server.port, insecure: true, conditions: ["[CERT_DAYS] > 100"] }, now);
    expect(sample).toMatchObject({ state: "up", certDaysLeft: 199 });
    expect(server.requests).toHaveLength(0);
  });

  test("a certificate that does not verify is down unless insecure", async () => {
    const server = await serveHttp(() => undefined, { tls: valid });
    const sample = await probeOne({ type: "tls", host: "127.0.0.1", port: server.port }, now);
    expect(sample).toMatchObject({ state: "down", error: `the certificate of 127.0.0.1:${server.port} is self-signed and not trusted`, certDaysLeft: 199 });
  });

  test("the name in the certificate is checked against servername", async () => {
    const server = await serveHttp(() => undefined, { tls: valid });
    const sample = await probeOne({ type: "tls", host: "127.0.0.1", port: server.port, servername: "status.example.com" }, now);
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/self-signed|not valid for that host name/);
  });

  test("expiring in 3 days is degraded; expired is down even when insecure", async () => {
    const soon = await serveHttp(() => undefined, { tls: expiring });
    expect(await probeOne({ type: "tls", host: "127.0.0.1", port: soon.port, insecure: true }, now)).toMatchObject({
      state: "degraded",
      certDaysLeft: 2,
      error: "the certificate expires in 2 days (fewer than 14)",
    });
    const old = await serveHttp(() => undefined, { tls: expired });
    expect(await probeOne({ type: "tls", host: "127.0.0.1", port: old.port, insecure: true }, now)).toMatchObject({ state: "down", certDaysLeft: -1, error: "the certificate expired 1 day ago" });
    expect(await probeOne({ type: "tls", host: "127.0.0.1", port: old.port }, now)).toMatchObject({ state: "down", error: "the certificate expired 1 day ago" });
  });

  test("a port that speaks no TLS is down; a silent one times out", async () => {
    const plain = await serveHttp((_, response) => response.end("plain"));
    const sample = await probeOne({ type: "tls", host: "127.0.0.1", port: plain.port });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/did not answer with TLS|was reset|wrong version/i);
    const silent = await serveSilence();
    expect(await probeOne({ type: "tls", host: "127.0.0.1", port: silent.port, timeout: "200ms" })).toMatchObject({ state: "down", error: "timed out after 200ms" });
  });
});
