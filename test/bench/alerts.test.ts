import { describe, expect, test } from "vitest";
import { defaultRules, measureAlertQuality, OUTAGES, syntheticTrace } from "../../scripts/bench/alerts.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { REPO } from "../helpers/workspace.ts";

describe("alert-quality bench", () => {
  test("the synthetic month has the noise the issue asks for", () => {
    const samples = syntheticTrace();
    const http = samples.filter((sample) => sample.check === "check-10");
    const down = http.filter((sample) => sample.state === "down").length / http.length;
    expect(down).toBeGreaterThan(0.015);
    expect(down).toBeLessThan(0.025);
    expect(http.some((sample) => sample.state === "degraded")).toBe(true);
    // Noise is single: never two bad runs in a row outside the outages.
    const outside = http.filter((_, index) => index > 0);
    expect(outside.some((sample, index) => sample.state !== "up" && http[index]!.state !== "up")).toBe(false);
    const flapping = samples.filter((sample) => sample.check === "check-07" && sample.at.startsWith("2026-10-05T10:"));
    expect(flapping.map((sample) => sample.state).slice(0, 4)).toEqual(["down", "up", "down", "up"]);
    expect(OUTAGES).toHaveLength(8);
  });

  test("the default rules meet the targets; a twitchy rule set would not", async () => {
    const { workspace } = await loadWorkspace(REPO);
    const quality = measureAlertQuality(workspace!.config);
    expect(quality).toMatchObject({ outages: 8, detected: 8, false_notifications: 0 });
    expect(quality.mean_detection_runs).toBeLessThanOrEqual(2);
    expect(quality.per_outage.every((outage) => outage.detected && outage.detection_runs! <= 2)).toBe(true);
    // Alerting on a single failure (no aggregation) turns the noise into pages: the bench must see that.
    const down = defaultRules().find((rule) => rule.id === "down-check-10")!;
    const twitchy = [{ ...down, condition: { type: "state" as const, state: "down" as const, for: 1, source: "samples" as const }, minFiring: 0 }];
    expect(measureAlertQuality(workspace!.config, twitchy).false_notifications).toBeGreaterThan(300);
  });
});
