import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { probeFreshness } from "../../scripts/core/freshness.ts";
import { addPendingRun } from "../../scripts/gitops/pending.ts";
import { publishCycle } from "../../scripts/gitops/publish.ts";
import { runCli } from "../helpers/cli.ts";
import { originWithWorkspace } from "../helpers/git.ts";
import { tempDir } from "../helpers/workspace.ts";

const MIN = 60_000;

describe("watching the watcher", () => {
  test("stale after page.stale × cadence without a landed run; the newest of main and the pending ref counts", () => {
    const now = new Date("2026-11-16T11:00:00Z");
    expect(probeFreshness(["2026-11-16T10:50:00Z"], 5 * MIN, 3, now)).toMatchObject({ stale: false, limitMs: 15 * MIN });
    expect(probeFreshness(["2026-11-16T10:40:00Z", undefined], 5 * MIN, 3, now)).toEqual({
      stale: true,
      lastRunAt: "2026-11-16T10:40:00Z",
      limitMs: 15 * MIN,
      message:
        "No probe run has landed for 20m (last: 2026-11-16T10:40:00Z; limit 15m = 3 × 5m). The public page now says the data is stale. Check the probe workflow's runs and whether scheduled workflows are enabled.",
    });
    expect(probeFreshness(["2026-11-16T10:10:00Z", "2026-11-16T10:55:00Z"], 5 * MIN, 3, now).stale).toBe(false);
    expect(probeFreshness([], 5 * MIN, 3, now).stale).toBe(true);
  });

  test("npm run watchdog reads the pending ref of the remote and sets the step outputs", async () => {
    const origin = await originWithWorkspace();
    const runner = await origin.clone("runner");
    // A plain run waits on the pending ref: main's state.json has no lastRun, yet the run has landed.
    await publishCycle({
      root: runner,
      run: "r1",
      now: () => new Date("2026-11-16T10:50:00Z"),
      sampleBatch: 60 * MIN,
      apply: async (root) => {
        await writeFile(join(root, "checks/state.json"), `${JSON.stringify({ version: 1, updatedAt: "2026-11-16T10:50:00Z", lastRun: { id: "r1", at: "2026-11-16T10:50:00Z", region: "gh", durationMs: 1, checks: 1 } })}\n`);
        return { paths: ["checks/state.json"], urgent: false };
      },
    });
    const watcher = await origin.clone("watcher");
    const output = join(await tempDir(), "output");
    await writeFile(output, "");
    const fresh = await runCli(["watchdog", "--root", watcher], { GITHUB_OUTPUT: output }, { clock: manualClock("2026-11-16T11:00:00Z") });
    expect(fresh.stdout).toBe("✓ Probe runs are landing again: the last one was 10m ago (2026-11-16T10:50:00.000Z).\n");
    expect(await readFile(output, "utf8")).toMatch(/^stale<<EOF_[0-9a-f]{16}\nfalse\nEOF_[0-9a-f]{16}\nmessage<<EOF_[0-9a-f]{16}\nProbe runs are landing again/);
    // The example configuration waits 12 cadences, since probe.yml lands a run every 30 minutes.
    const stale = await runCli(["watchdog", "--root", watcher], {}, { clock: manualClock("2026-11-16T11:55:00Z") });
    expect(stale.stdout).toMatch(/^✗ No probe run has landed for 1h5m \(last: 2026-11-16T10:50:00.000Z; limit 1h = 12 × 5m\)/);
  });

  test("a run kept on the pending ref because its push to main failed has not landed", async () => {
    const origin = await originWithWorkspace();
    const runner = await origin.clone("runner");
    await addPendingRun(runner, "origin", { name: "20261116T105800000Z-r2.json", run: "r2", at: "2026-11-16T10:58:00.000Z", urgent: true, appends: {}, snapshots: { "checks/state.json": "{}\n" }, bases: { "checks/state.json": "-" } });
    const result = await runCli(["watchdog", "--root", await origin.clone("watcher")], {}, { clock: manualClock("2026-11-16T11:00:00Z") });
    expect(result.stdout).toMatch(/^✗ No probe run has landed yet/);
  });
});
