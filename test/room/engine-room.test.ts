/**
 * Scenario: the room on what the real engine writes. The demo world's loopback servers answer the
 * example configuration's checks; an hour of probe cycles runs through the engine (samples, state,
 * rollups, run log); then `npm run build` renders the room from those files alone.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { startWorld, type DemoWorld } from "../../scripts/demo/servers.ts";
import { runProbeCycle } from "../../scripts/engine.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace, tempDir } from "../helpers/workspace.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const MINUTE = 60_000;

let world: DemoWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("the room on the engine's own files", () => {
  test("an hour of probe cycles against the demo world renders on every screen", async () => {
    const root = await exampleWorkspace();
    const { workspace } = await loadWorkspace(root);
    const clock = manualClock(new Date(NOW.getTime() - 60 * MINUTE));
    world = await startWorld(clock, NOW);
    for (let minute = 60; minute >= 0; minute -= 5) {
      clock.set(new Date(NOW.getTime() - minute * MINUTE));
      await runProbeCycle({ root, workspace: workspace!, clock, env: world.env, region: "local", runId: `run-${60 - minute}` });
    }
    const out = await tempDir();
    const result = await runCli(["build", "--root", root, "--out", out, "--only", "internal"], {}, { clock });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const page = (path: string) => readFile(join(out, "internal", path, "index.html"), "utf8");

    const room = await page("");
    const counters = [...room.matchAll(/<p class="value">([^<]+)<\/p>/g)].map((match) => match[1]!);
    const [operational, degraded, blocked] = counters.slice(0, 3).map(Number);
    // Three providers are planned (counted apart); the nine measured ones are classified.
    expect(operational! + degraded! + blocked!).toBe(9);
    expect(room).not.toContain('class="stale"');
    expect(room).toContain("9 checks; last probe run just now.");
    expect([...room.matchAll(/<tr>\s*<td>/g)].length).toBeGreaterThanOrEqual(9 + 10);

    const postgres = await page("providers/postgres-database");
    expect(postgres).toMatch(/id="check-database-connectivity"[\s\S]*?<caption>Regions<\/caption>[\s\S]*?<th scope="row">local<\/th>/);
    expect(postgres).toMatch(/data-window="1 h"><th scope="row">1 h<\/th><td class="num">(\d+)<\/td>/);
    expect(Number(postgres.match(/data-window="1 h"><th scope="row">1 h<\/th><td class="num">(\d+)<\/td>/)![1])).toBeGreaterThan(5);

    const bookings = await page("providers/booking.changed");
    expect(bookings).toMatch(/Latest metrics: <code>delivered<\/code> \d+/);

    const dashboard = await page("dashboard");
    expect(dashboard).toMatch(/data-figure="Samples"[\s\S]*?<p class="value">(\d+)<\/p>/);
    expect(Number(dashboard.match(/data-figure="Samples"[\s\S]*?<p class="value">(\d+)<\/p>/)![1])).toBeGreaterThan(20);
    expect(dashboard).toMatch(/queue-value">\d+<\/span> <a [^>]+>booking\.changed/);

    const log = await page("log");
    expect(log).toContain("probe run finished");
    expect(log).toContain("run-60");
  });
});
