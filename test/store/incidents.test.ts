import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { incidentFrontmatter } from "../../scripts/core/schema/incident.ts";
import { writeIncident } from "../../scripts/store/incidents.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { exampleWorkspace } from "../helpers/workspace.ts";

describe("writing incident files", () => {
  test("a recurring maintenance window round-trips: its duration is written as text, read back as the same window", async () => {
    const root = await exampleWorkspace();
    const { workspace } = await loadWorkspace(root);
    const frontmatter = incidentFrontmatter.parse({
      id: "weekly-compaction",
      title: "Weekly compaction",
      kind: "maintenance",
      status: "scheduled",
      providers: ["better-auth"],
      recurrence: { days: ["wed"], start: "04:00", duration: "1h20m", timezone: "Europe/Berlin" },
      updates: [{ at: "2026-11-01T09:00:00Z", status: "scheduled", message: "Every Wednesday." }],
    });
    await writeIncident(root, workspace!, { file: "incidents/weekly-compaction.md", frontmatter, body: "Internal: ask Platform before moving it." });
    expect(await readFile(join(root, "incidents/weekly-compaction.md"), "utf8")).toContain("duration: 1h20m");
    const reloaded = await loadWorkspace(root);
    expect(reloaded.problems).toEqual([]);
    expect(reloaded.workspace!.incidents[0]!.frontmatter.recurrence).toEqual(frontmatter.recurrence);
    expect(reloaded.workspace!.incidents[0]!.body.trim()).toBe("Internal: ask Platform before moving it.");
  });
});
