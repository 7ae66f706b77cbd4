import type { ServerResponse } from "node:http";
import { describe, expect, test } from "vitest";
import { probeOne } from "../helpers/probe.ts";
import { serveHttp, serveSilence } from "../helpers/servers.ts";

/** A vendor page shaped like Statuspage's public API v2 summary.json. */
function summary(options: { indicator?: string; card?: string; incidents?: unknown[]; maintenances?: unknown[] } = {}) {
  return {
    page: { id: "vendor", name: "Payments Vendor", url: "https://status.vendor.example", time_zone: "Etc/UTC", updated_at: "2026-11-16T10:40:00Z" },
    status: { indicator: options.indicator ?? "none", description: options.indicator && options.indicator !== "none" ? "Partial System Outage" : "All Systems Operational" },
    components: [
      { id: "cmp-card", name: "Card payments", status: options.card ?? "operational", position: 1, group: false, showcase: true },
      { id: "cmp-payout", name: "Payouts", status: "operational", position: 2, group: false, showcase: true },
    ],
    incidents: options.incidents ?? [],
    scheduled_maintenances: options.maintenances ?? [],
  };
}

async function vendor(page: unknown) {
  return serveHttp((request, response: ServerResponse) => {
    if (request.url === "/api/v2/summary.json") response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(page));
    else response.writeHead(404).end();
  });
}

const incident = (name: string, status: string, components: string[]) => ({
  id: name.toLowerCase().replace(/\W+/g, "-"),
  name,
  status,
  impact: "major",
  created_at: "2026-11-16T10:00:00Z",
  components: components.map((id) => ({ id, name: id })),
  incident_updates: [],
});

describe("statuspage check", () => {
  test("an operational component is up; the page root is turned into summary.json", async () => {
    const page = await vendor(summary());
    const sample = await probeOne({ type: "statuspage", url: page.url, component: "Card payments" });
    expect(sample).toMatchObject({ state: "up", conditions: [{ text: 'component "Card payments" == operational', ok: true, actual: "operational" }] });
    expect(sample.error).toBeUndefined();
    expect(page.requests.map((request) => request.url)).toEqual(["/api/v2/summary.json"]);
  });

  test.each([
    ["degraded_performance", "degraded"],
    ["partial_outage", "down"],
    ["major_outage", "down"],
    ["under_maintenance", "degraded"],
  ])("component %s → %s, keeping the vendor's incident name as evidence", async (status, state) => {
    const page = await vendor(
      summary({
        card: status,
        indicator: "major",
        incidents: [incident("Elevated card declines", "identified", ["cmp-card"]), incident("Payout delays", "investigating", ["cmp-payout"]), incident("Old outage", "resolved", ["cmp-card"])],
      }),
    );
    const sample = await probeOne({ type: "statuspage", url: `${page.url}/api/v2/summary.json`, component: "Card payments" });
    expect(sample.state).toBe(state);
    expect(sample.error).toBe(`Card payments: ${status.replace(/_/g, " ")}; vendor incident "Elevated card declines" (identified, impact major)`);
    expect(sample.conditions).toEqual([{ text: 'component "Card payments" == operational', ok: false, actual: status }]);
  });

  test.each([
    ["none", "up"],
    ["minor", "degraded"],
    ["major", "down"],
    ["critical", "down"],
    ["maintenance", "degraded"],
  ])("without a component, the page indicator %s → %s", async (indicator, state) => {
    const page = await vendor(summary({ indicator, maintenances: [{ ...incident("Database upgrade", "in_progress", []), impact: "maintenance" }] }));
    const sample = await probeOne({ type: "statuspage", url: page.url });
    expect(sample.state).toBe(state);
    if (state !== "up") expect(sample.error).toContain('vendor maintenance "Database upgrade" (in_progress, impact maintenance)');
  });

  test("an unknown component names the ones there are", async () => {
    const page = await vendor(summary());
    expect(await probeOne({ type: "statuspage", url: page.url, component: "Cards" })).toMatchObject({
      state: "error",
      error: 'the vendor\'s status page has no component "Cards" (components: Card payments, Payouts)',
    });
  });

  test("a status page that cannot be read is an error, not a vendor outage", async () => {
    const broken = await serveHttp((_, response) => response.writeHead(200, { "content-type": "application/json" }).end("<html>maintenance</html>"));
    expect(await probeOne({ type: "statuspage", url: `${broken.url}/api/v2/summary.json` })).toMatchObject({ state: "error", error: "the vendor's status page did not answer with Statuspage v2 JSON" });
    const missing = await serveHttp((_, response) => response.writeHead(502).end());
    expect(await probeOne({ type: "statuspage", url: missing.url })).toMatchObject({ state: "error", error: "could not read the vendor's status page: status 502, expected 2xx" });
  });

  test("a status page that hangs is an error too, and is not retried as an outage", async () => {
    const hung = await serveSilence();
    const sample = await probeOne({ type: "statuspage", url: hung.url, timeout: "300ms", retries: 2 });
    expect(sample).toMatchObject({ state: "error", error: "timed out after 300ms" });
    expect(sample.log.filter((entry) => entry.service === "probe.statuspage")).toHaveLength(1);
    // An http check against the same silence is a target that does not answer: down.
    expect(await probeOne({ type: "http", url: hung.url, timeout: "300ms" })).toMatchObject({ state: "down", error: "timed out after 300ms" });
  });
});
