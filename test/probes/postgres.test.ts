import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { havePostgres, PG_BIN, startCluster, type Cluster } from "../helpers/postgres.ts";
import { probeOne } from "../helpers/probe.ts";
import { closedPort, serveSilence } from "../helpers/servers.ts";

if (!havePostgres) console.warn(`PostgreSQL tests skipped: no initdb/pg_ctl in ${PG_BIN} (CI installs the postgresql package).`);

describe.skipIf(!havePostgres)("postgres check against a real cluster", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const env = () => ({ DATABASE_URL: cluster.url() });

  test("connect and `select 1` with the expected value: up, credentials out of the sample", async () => {
    const sample = await probeOne({ type: "postgres", url: "${env:DATABASE_URL}", query: "select 1", expectValue: 1 }, { env: env() });
    expect(sample).toMatchObject({ state: "up" });
    expect(sample.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(sample)).not.toContain(cluster.password);
  });

  test("rows and conditions on them", async () => {
    const sample = await probeOne(
      { type: "postgres", url: "${env:DATABASE_URL}", query: "select n, n * 2 as twice from generate_series(1, 3) as n", expectRows: 3, conditions: ["[BODY][2].twice == 6", "len([BODY]) == 3"] },
      { env: env() },
    );
    expect(sample.state).toBe("up");
    expect(sample.conditions?.map((c) => c.ok)).toEqual([true, true]);
  });

  test("an unexpected value or row count is down, saying what came back", async () => {
    expect(await probeOne({ type: "postgres", url: "${env:DATABASE_URL}", query: "select 'readonly'", expectValue: "primary" }, { env: env() })).toMatchObject({
      state: "down",
      error: "the query returned readonly, expected primary",
    });
    expect(await probeOne({ type: "postgres", url: "${env:DATABASE_URL}", query: "select 1 where false", expectRows: 1 }, { env: env() })).toMatchObject({
      state: "down",
      error: "the query returned 0 rows, expected 1",
    });
  });

  test("a failing query is down with the server's message", async () => {
    const sample = await probeOne({ type: "postgres", url: "${env:DATABASE_URL}", query: "select * from missing_table" }, { env: env() });
    expect(sample.state).toBe("down");
    expect(sample.error).toBe(`relation "missing_table" does not exist (42P01, 127.0.0.1:${cluster.port})`);
  });

  test("a wrong password is down, and the password is nowhere in the sample or the log", async () => {
    const wrong = "Wrong-Secret-Canary-99";
    const sample = await probeOne({ type: "postgres", url: "${env:DATABASE_URL}" }, { env: { DATABASE_URL: cluster.url("127.0.0.1", wrong) } });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/password authentication failed for user "probe"/);
    expect(JSON.stringify(sample)).not.toContain(wrong);
  });

  test("a slow query past the timeout is down", async () => {
    const sample = await probeOne({ type: "postgres", url: "${env:DATABASE_URL}", query: "select pg_sleep(3)", timeout: "400ms" }, { env: env() });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/timed out after 400ms|Query read timeout/);
  });

  test("over IPv6 loopback", async () => {
    expect((await probeOne({ type: "postgres", url: "${env:DATABASE_URL}", expectValue: 1 }, { env: { DATABASE_URL: cluster.url("::1") } })).state).toBe("up");
  });
});

describe("postgres check: unreachable servers (no cluster needed)", () => {
  test("a closed port is down: connection refused", async () => {
    const port = await closedPort();
    const sample = await probeOne({ type: "postgres", url: `postgres://probe:\${env:PASSWORD}@127.0.0.1:${port}/postgres` }, { env: { PASSWORD: "x-secret-1" } });
    expect(sample).toMatchObject({ state: "down", error: `connection refused by 127.0.0.1:${port}` });
  });

  test("a server that accepts and never answers times out", async () => {
    const silent = await serveSilence();
    const sample = await probeOne({ type: "postgres", url: `postgres://probe:\${env:PASSWORD}@127.0.0.1:${silent.port}/postgres`, timeout: "300ms" }, { env: { PASSWORD: "x-secret-1" } });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/timed out after 300ms|timeout/i);
  });

  test("a connection string that is not one is an error of the check", async () => {
    expect(await probeOne({ type: "postgres", url: "${env:DATABASE_URL}" }, { env: { DATABASE_URL: "not a url" } })).toMatchObject({
      state: "error",
      error: "url is not a valid postgres:// connection string once its placeholders are filled in",
    });
  });
});
