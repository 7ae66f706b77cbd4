import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { launchBrowser, serveStatic } from "../helpers/browser.ts";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace, REPO, tempDir } from "../helpers/workspace.ts";

describe("npm run build", () => {
  test("builds both sites from a workspace; the room's figures come from the data", async () => {
    const root = await exampleWorkspace();
    const out = await tempDir();
    const result = await runCli(["build", "--root", root, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const room = await readFile(join(out, "internal/index.html"), "utf8");
    // No samples yet: providers with readiness tasks score by tasks done (63, 38, 35, 32), the eight
    // live/active ones sit at their band's floor (70): none operational, nine degraded, average 61.
    const counters = [...room.matchAll(/<p class="value">([^<]+)<\/p>/g)].map((match) => match[1]);
    expect(counters).toEqual(["0", "9", "0", "61%"]);
    expect(room).toContain('data-lane="reporting"');
    expect(room).toContain("No provider in this lane yet");
    const home = await readFile(join(out, "public/index.html"), "utf8");
    expect(home).toContain("Signalroom status");
    expect(home).not.toContain("Provider Health");
    // The same workspace on the public page: nothing measured, so nothing is claimed operational.
    expect(home).toContain('<p class="banner s-no_data">');
    expect(home).toContain("No data yet: no check has reported");
    expect(home).not.toMatch(/All systems operational|class="st s-operational"/);

    const browser = await launchBrowser();
    const server = await serveStatic(join(out, "public"));
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      await page.goto(server.url);
      expect(await page.locator("h1").textContent()).toBe("Signalroom status");
    } finally {
      await server.close();
      await browser.close();
    }
  });

  test("refuses an invalid workspace and builds nothing", async () => {
    const out = await tempDir();
    const result = await runCli(["build", "--root", join(REPO, "test"), "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("checks/signalroom.yaml is missing");
    expect(result.stderr).toContain("The workspace is not valid (see above); nothing was built.");
  });
});
