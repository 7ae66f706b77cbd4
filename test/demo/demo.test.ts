/**
 * Scenario: the demo, as `npm run demo` runs it (shortened to a few days of history: the room's figures
 * come from the last 24 hours and the incidents still open). The room built from the engine's own files
 * must show seed 000's figures, the public site must be built, and the repository's own checks/ and
 * incidents/ must be untouched.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runDemo, type DemoReport } from "../../scripts/demo/run.ts";
import { createTerminal } from "../../scripts/terminal.ts";
import { counters, laneCards, priorityRecovery, queue, SEED_COUNTERS, SEED_LANES, SEED_PRIORITY, SEED_QUEUE } from "../helpers/room-html.ts";
import { REPO } from "../helpers/workspace.ts";

async function fingerprint(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
    const path = join(entry.parentPath, entry.name);
    hash.update(path).update(await readFile(path));
  }
  return hash.digest("hex");
}

let report: DemoReport;
let room: string;
let before: string;
let dir: string;

beforeAll(async () => {
  before = (await fingerprint(join(REPO, "checks"))) + (await fingerprint(join(REPO, "incidents")));
  dir = await mkdtemp(join(tmpdir(), "signalroom-demo-"));
  const quiet = createTerminal({ NO_COLOR: "1" }, { stdout: { write: () => true }, stderr: { write: () => true } });
  report = await runDemo({ repo: REPO, root: join(dir, "workspace"), out: join(dir, "dist"), terminal: quiet, now: new Date("2026-11-20T12:00:30Z"), days: 5, liveMinutes: 3 });
  room = await readFile(join(report.out, "internal/index.html"), "utf8");
}, 300_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the demo world", () => {
  test("the room built from the engine's files shows the seed's counters, lane cards, queue and priority recovery", () => {
    expect(counters(room)).toEqual(SEED_COUNTERS);
    expect(laneCards(room)).toEqual(SEED_LANES);
    expect(queue(room).map((card) => [card.id, card.score])).toEqual(SEED_QUEUE);
    expect(priorityRecovery(room)).toEqual(SEED_PRIORITY);
  });

  test("the history holds automatic incidents, acknowledged and closed through the close gate, and the open one", () => {
    const incidents = report.workspace.incidents.map(({ frontmatter }) => frontmatter);
    const open = incidents.filter((incident) => incident.kind === "incident" && incident.status !== "resolved");
    expect(open.map((incident) => [incident.automated?.rule, incident.severity, Boolean(incident.acknowledged)])).toEqual([["ai-decision-delivery-failing", "SEV-3", true]]);
    expect(incidents.filter((incident) => incident.kind === "maintenance").map((incident) => incident.status)).toEqual(["scheduled", "scheduled"]);
    expect(report.liveRuns).toBe(4);
    expect(report.delivered).toBeGreaterThan(0);
  });

  test("both sites are built, and the repository's own checks/ and incidents/ are untouched", async () => {
    const home = await readFile(join(report.out, "public/index.html"), "utf8");
    expect(home).toContain("Signalroom status");
    expect(home).not.toContain("ai.decision.logged");
    expect((await fingerprint(join(REPO, "checks"))) + (await fingerprint(join(REPO, "incidents")))).toBe(before);
  });
});
