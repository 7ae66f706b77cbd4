/** Scenario: the probes stopped an hour ago; the page keeps the last known status and says so. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/workspace.ts";
import { NOW, workspaceWithHistory } from "./fixtures.ts";


test("an hour without a probe run shows the stale-data warning next to the last known status", async () => {
  const root = await workspaceWithHistory();
  const out = await tempDir();
  const later = manualClock(new Date(NOW.getTime() + 3_600_000));
  const result = await runCli(["build", "--root", root, "--out", out, "--only", "public"], {}, { clock: later });
  expect(result.code).toBe(0);
  const home = await readFile(join(out, "public/index.html"), "utf8");
  expect(home).toMatch(/<p class="stale" role="status"><strong>⚠ These results may be out of date/);
  expect(home).toContain('Last checked: <time datetime="2026-11-20T10:30:00.000Z">20 Nov 2026, 10:30 UTC</time>');
  expect(home).toContain('<p class="banner s-partial_outage">');
  const fresh = await runCli(["build", "--root", root, "--out", out, "--only", "public"], {}, { clock: manualClock(NOW) });
  expect(fresh.code).toBe(0);
  expect(await readFile(join(out, "public/index.html"), "utf8")).not.toContain('class="stale"');
});
