import { beforeEach, describe, expect, test } from "vitest";
import { serveDns } from "../helpers/dns-server.ts";
import { probeOne } from "../helpers/probe.ts";

const ZONE = {
  records: {
    "api.signalroom.test": [
      { type: "A", data: "127.0.0.2" },
      { type: "A", data: "127.0.0.3" },
      { type: "AAAA", data: "::1" },
      { type: "TXT", data: ["v=spf1 ", "-all"] },
    ],
    "signalroom.test": [
      { type: "MX", data: { preference: 10, exchange: "mx.signalroom.test" } },
      { type: "NS", data: "ns1.signalroom.test" },
    ],
    "www.signalroom.test": [{ type: "CNAME", data: "api.signalroom.test" }],
  },
  rcodes: { "broken.signalroom.test": "SERVFAIL", "private.signalroom.test": "REFUSED" },
  silent: ["slow.signalroom.test"],
} as const;

let resolver: string;
beforeEach(async () => {
  resolver = (await serveDns(ZONE as never)).resolver;
});

describe("dns check", () => {
  test("expected values are all present: up, with the answers in [BODY]", async () => {
    const sample = await probeOne({
      type: "dns",
      name: "api.signalroom.test",
      resolver,
      expectValues: ["127.0.0.2", "127.0.0.3"],
      conditions: ["len([BODY]) == 2", "[DNS_RCODE] == NOERROR"],
    });
    expect(sample.state).toBe("up");
    expect(sample.latencyMs).toBeGreaterThanOrEqual(0);
    expect(sample.conditions?.map((c) => c.ok)).toEqual([true, true]);
  });

  test("a missing expected value is down, listing what came back", async () => {
    const sample = await probeOne({ type: "dns", name: "api.signalroom.test", resolver, expectValues: ["127.0.0.9"] });
    expect(sample).toMatchObject({ state: "down", error: "api.signalroom.test A lacks 127.0.0.9 (got 127.0.0.2, 127.0.0.3)" });
  });

  test.each([
    ["AAAA", "api.signalroom.test", ["::1"]],
    ["TXT", "api.signalroom.test", ["v=spf1 -all"]],
    ["MX", "signalroom.test", ["10 mx.signalroom.test"]],
    ["MX", "signalroom.test", ["MX.signalroom.test."]],
    ["NS", "signalroom.test", ["ns1.signalroom.test"]],
    ["CNAME", "www.signalroom.test", ["api.signalroom.test"]],
  ])("%s records of %s", async (recordType, name, expectValues) => {
    expect((await probeOne({ type: "dns", name, recordType, resolver, expectValues })).state).toBe("up");
  });

  test("NXDOMAIN is down unless it is what is expected", async () => {
    expect(await probeOne({ type: "dns", name: "gone.signalroom.test", resolver })).toMatchObject({ state: "down", error: "gone.signalroom.test A: NXDOMAIN, expected NOERROR" });
    expect(await probeOne({ type: "dns", name: "gone.signalroom.test", resolver, expectRcode: "NXDOMAIN", conditions: ["[DNS_RCODE] == NXDOMAIN"] })).toMatchObject({ state: "up" });
  });

  test("SERVFAIL and REFUSED are named", async () => {
    expect((await probeOne({ type: "dns", name: "broken.signalroom.test", resolver })).error).toBe("broken.signalroom.test A: SERVFAIL, expected NOERROR");
    expect((await probeOne({ type: "dns", name: "private.signalroom.test", resolver })).error).toBe("private.signalroom.test A: REFUSED, expected NOERROR");
  });

  test("a name without records of the asked type is down", async () => {
    expect(await probeOne({ type: "dns", name: "www.signalroom.test", recordType: "MX", resolver })).toMatchObject({ state: "down", error: "www.signalroom.test has no MX records" });
  });

  test("a resolver that never answers times out", async () => {
    const sample = await probeOne({ type: "dns", name: "slow.signalroom.test", resolver, timeout: "300ms" });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/timed out after 300ms|ETIMEOUT/);
  });

  test("a resolver on IPv6 loopback, written [::1]:port", async () => {
    const v6 = await serveDns(ZONE as never, "::1");
    expect(await probeOne({ type: "dns", name: "api.signalroom.test", resolver: v6.resolver, expectValues: ["127.0.0.2"] })).toMatchObject({ state: "up" });
    expect(v6.queries).toEqual(["api.signalroom.test A"]);
  });

  test("a resolver that is not an address is an error of the check", async () => {
    expect(await probeOne({ type: "dns", name: "api.signalroom.test", resolver: "not an address" })).toMatchObject({ state: "error", error: "resolver must be an address or address:port (IPv6 as [::1]:53)" });
  });
});
