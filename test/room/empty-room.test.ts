/**
 * Scenario: a fresh workspace (the example configuration, no probe has run, no incident, no log) served
 * under a base path. Every screen still builds, says plainly that there is no data yet, and links stay
 * under the base path.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { edit, exampleWorkspace, tempDir } from "../helpers/workspace.ts";

describe("a workspace where nothing has run yet", () => {
  test("every screen builds, shows its empty state, and links under the base path", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/signalroom.yaml", "basePath: /", "basePath: /status");
    const out = await tempDir();
    const result = await runCli(["build", "--root", root, "--out", out, "--only", "internal"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const page = (path: string) => readFile(join(out, "internal", path, "index.html"), "utf8");

    const room = await page("");
    expect(room).toContain('<p class="stale" role="status"><strong>Stale data.</strong> No probe run has landed yet');
    expect(room).toContain("Waiting for the first probe");
    expect(room).toContain("9 checks; last probe run never.");
    expect(room).toContain("No incident files yet.");
    const links = [...room.matchAll(/href="([^"#]+)"/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(20);
    for (const link of links.filter((candidate) => candidate.startsWith("/"))) expect(link).toMatch(/^\/status\//);

    const dashboard = await page("dashboard");
    expect(dashboard).toContain("No samples in this period.");
    expect(dashboard).toContain("No json check reports a queue metric.");
    expect(dashboard).toMatch(/data-figure="uptime"[\s\S]*?<p class="value">–<\/p>/);

    const alerts = await page("alerts");
    expect([...alerts.matchAll(/data-state="(\w+)"/g)].map((match) => match[1])).toEqual(Array(10).fill("unevaluated"));
    expect(alerts.match(/<p class="muted">None\.<\/p>/g)).toHaveLength(6);

    expect(await page("incidents")).toContain("No open incident.");
    expect(await page("log")).toContain("No entries.");
    expect(await page("log/level/critical")).toContain("0 entries, newest first.");
    const provider = await page("providers/postgres-database");
    expect(provider).toContain("No samples in the last 7 days.");
    expect(provider).toMatch(/id="check-database-connectivity"[\s\S]*?<span class="pill tone-unknown">unknown<\/span>/);
    expect((await readdir(join(out, "internal/providers"))).length).toBe(12);
  });
});
