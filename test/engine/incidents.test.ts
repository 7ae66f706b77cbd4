import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { runProbeCycle } from "../../scripts/engine.ts";
import { readState } from "../../scripts/store/state.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { CHECK, outageWorld, RULE } from "../helpers/outage.ts";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const MIN = 60_000;

/** A workspace (no notification route at all) whose target the test switches, probed cycle by cycle. */
async function world() {
  const { origin, target } = await outageWorld();
  const root = await origin.clone("work");
  const clock = manualClock(new Date(T0).toISOString());
  const cycle = async (minute: number, healthy: boolean) => {
    target.healthy = healthy;
    clock.set(new Date(T0 + minute * MIN));
    const { workspace } = await loadWorkspace(root);
    return runProbeCycle({ root, workspace: workspace!, clock, env: {}, region: "local", runId: `run-${minute}` });
  };
  return { root, cycle };
}

const ID = `2026-11-20-1001-${RULE}`;
const FILE = `incidents/${ID}.md`;

describe("incidents inside the probe cycle", () => {
  test("an alert nobody was told about still clears, so the incident it opened recovers and resolves", async () => {
    const { root, cycle } = await world();
    await cycle(0, true);
    await cycle(1, false);
    const recovered = await cycle(2, true);
    expect(recovered.alertEvents.map((event) => [event.type, event.routes])).toEqual([["cleared", []]]);
    await cycle(20, true);
    const { workspace } = await loadWorkspace(root);
    expect(workspace!.incidents.map((incident) => [incident.frontmatter.id, incident.frontmatter.status, incident.frontmatter.updates.length])).toEqual([[ID, "resolved", 3]]);
  });

  test("an automatic edit the operator's hand edit makes invalid is left out with a warning; the run goes on", async () => {
    const { root, cycle } = await world();
    await cycle(0, true);
    await cycle(1, false);
    // The operator writes that it was only noticed at 10:30, after the target recovered (10:02).
    const path = join(root, FILE);
    await writeFile(path, (await readFile(path, "utf8")).replace(/^detected: .*$/m, "detected: 2026-11-20T10:30:00Z"));
    const recovered = await cycle(2, true);
    expect(recovered.warnings).toEqual([
      { severity: "warning", file: FILE, path: [], message: "automatic incident edit not written: mitigated: is before detected" },
    ]);
    expect(recovered.incidents).toEqual([]);
    expect((await readState(root, new Date())).checks[CHECK]!.status).toBe("up");
    expect(await readFile(path, "utf8")).toContain("detected: 2026-11-20T10:30:00Z");
  });

  test("a late acknowledgement of an outage that already ended is valid", async () => {
    const { root, cycle } = await world();
    await cycle(0, true);
    await cycle(1, false);
    await cycle(2, true);
    const path = join(root, FILE);
    await writeFile(path, (await readFile(path, "utf8")).replace("\n---\n", "\nacknowledged: 2026-11-20T10:40:00Z\ncommander: alice\n---\n"));
    const { problems } = await loadWorkspace(root);
    expect(problems).toEqual([]);
  });
});
