import { describe, expect, test } from "vitest";
import { probeOne } from "../helpers/probe.ts";
import { serveHttp } from "../helpers/servers.ts";

const stats = (body: string, status = 200) => serveHttp((_, response) => response.writeHead(status, { "content-type": "application/json" }).end(body));

const METRICS = { delivered: "deliveries.delivered", failed: "deliveries.failed", queue_depth: "queue.depth", first_age: "queue.items[0].age" };

describe("json metrics check (seed 000: payload count, queue depth)", () => {
  test("numbers are read into sample.metrics and held to conditions", async () => {
    const server = await stats(JSON.stringify({ deliveries: { delivered: 1200, failed: 0 }, queue: { depth: "12", items: [{ age: 4.5 }] } }));
    const sample = await probeOne({ type: "json", url: server.url, metrics: METRICS, conditions: ["[METRIC].failed == 0", "[METRIC].queue_depth < 100"], degradedConditions: ["[METRIC].first_age < 60"] });
    expect(sample).toMatchObject({ state: "up", status: 200, metrics: { delivered: 1200, failed: 0, queue_depth: 12, first_age: 4.5 } });
    expect(sample.conditions?.map((c) => `${c.text}=${c.ok}`)).toEqual(["[METRIC].failed == 0=true", "[METRIC].queue_depth < 100=true", "[METRIC].first_age < 60=true"]);
  });

  test("a metric over its condition is down; a degraded condition degrades", async () => {
    const server = await stats(JSON.stringify({ deliveries: { delivered: 5, failed: 3 }, queue: { depth: 640, items: [{ age: 900 }] } }));
    const sample = await probeOne({ type: "json", url: server.url, metrics: METRICS, conditions: ["[METRIC].queue_depth < 500"], degradedConditions: ["[METRIC].failed < 3"] });
    expect(sample).toMatchObject({ state: "down", metrics: { failed: 3, queue_depth: 640 }, error: "[METRIC].queue_depth < 500 ✗ got 640; [METRIC].failed < 3 ✗ got 3" });
  });

  test("a missing path or a value that is not a number is down, naming the metric; the others are still recorded", async () => {
    const server = await stats(JSON.stringify({ deliveries: { delivered: 7, failed: "none" }, queue: {} }));
    const sample = await probeOne({ type: "json", url: server.url, metrics: METRICS });
    expect(sample.state).toBe("down");
    expect(sample.metrics).toEqual({ delivered: 7 });
    expect(sample.error).toBe('metric failed: deliveries.failed is "none", not a number; metric queue_depth: queue.depth is missing from the response; metric first_age: queue.items[0].age is missing from the response');
  });

  test("invalid JSON is down with the parser's reason", async () => {
    const server = await stats("{\"queue\": {\"depth\": 1");
    const sample = await probeOne({ type: "json", url: server.url, metrics: METRICS });
    expect(sample.state).toBe("down");
    expect(sample.error).toMatch(/^the response is not valid JSON \(.+\)$/);
    expect(sample.metrics).toBeUndefined();
  });

  test("an unexpected status is down before any metric is read", async () => {
    const server = await stats(JSON.stringify({ error: "maintenance" }), 503);
    expect(await probeOne({ type: "json", url: server.url, metrics: METRICS })).toMatchObject({ state: "down", status: 503, error: "status 503, expected 2xx" });
  });
});
