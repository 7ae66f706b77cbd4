/**
 * Scenario: the probes stopped an hour ago; the page keeps the last known status and says so. The same
 * workspace built an hour apart also shows that ids and created_at of the API do not move between builds.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/workspace.ts";
import { NOW, workspaceWithHistory } from "./fixtures.ts";

type Api = { page: { id: string }; components: { id: string; created_at: string }[]; incidents?: { id: string; created_at: string }[]; scheduled_maintenances?: { id: string; created_at: string }[] };

/** What must be the same in every build of the same files: every id and created_at. */
async function identities(out: string) {
  const read = async (file: string) => JSON.parse(await readFile(join(out, "public/api/v2", file), "utf8")) as Api;
  const pick = (rows: { id: string; created_at: string }[] = []) => rows.map((row) => [row.id, row.created_at]);
  const components = await read("components.json");
  return {
    page: components.page.id,
    components: pick(components.components),
    incidents: pick((await read("incidents.json")).incidents),
    maintenances: pick((await read("scheduled-maintenances.json")).scheduled_maintenances),
  };
}

test("an hour without a probe run shows the stale-data warning next to the last known status; ids and created_at stay put", async () => {
  const root = await workspaceWithHistory();
  const out = await tempDir();
  const later = manualClock(new Date(NOW.getTime() + 3_600_000));
  const result = await runCli(["build", "--root", root, "--out", out, "--only", "public"], {}, { clock: later });
  expect(result.code).toBe(0);
  const home = await readFile(join(out, "public/index.html"), "utf8");
  expect(home).toMatch(/<p class="stale" role="status"><strong>⚠ These results may be out of date/);
  expect(home).toContain('Last checked: <time datetime="2026-11-20T10:30:00.000Z">20 Nov 2026, 10:30 UTC</time>');
  expect(home).toContain('<p class="banner s-partial_outage">');
  const first = await identities(out);
  const fresh = await runCli(["build", "--root", root, "--out", out, "--only", "public"], {}, { clock: manualClock(NOW) });
  expect(fresh.code).toBe(0);
  expect(await readFile(join(out, "public/index.html"), "utf8")).not.toContain('class="stale"');
  const second = await identities(out);
  expect(second).toEqual(first);
  expect(second.components.length).toBeGreaterThan(5);
  expect(second.incidents.length).toBeGreaterThan(2);
  expect(second.maintenances.length).toBeGreaterThan(2);
});
