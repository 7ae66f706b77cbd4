/**
 * Scenario: operators read the seed's room in a real browser (Debian's Chromium). Every screen must be
 * accessible (axe-core, light and dark), valid HTML (Nu HTML Checker), and usable without JavaScript;
 * the run log's search is an enhancement on top. The screenshot tool works on the same build.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import axe from "axe-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, serveStatic, type StaticServer } from "../helpers/browser.ts";
import { REPO, tempDir } from "../helpers/workspace.ts";
import { takeScreenshots } from "../tools/room-screenshots.ts";
import { buildSeedWorld, type SeedBuild } from "./seed-build.ts";

let world: SeedBuild;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  world = await buildSeedWorld();
  server = await serveStatic(join(world.out, "internal"));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await world?.remove();
});

/** One page of each kind, including the empty and the lifecycle variants. */
const SCREENS = [
  "",
  "providers/payment-webhooks/",
  "providers/ai.decision.logged/",
  "providers/resend/",
  "dashboard/",
  "alerts/",
  "incidents/",
  "incidents/2026-11-12-stripe-webhook-outage/",
  "incidents/2026-11-21-database-maintenance/",
  "log/",
  "log/level/debug/",
  "log/request/req_a1b2c3/",
  "log/run/run-5983919/",
];

describe("accessibility", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`axe-core finds no violation on any screen (${colorScheme})`, async () => {
      const page = await browser.newPage({ colorScheme });
      const found: string[] = [];
      for (const path of SCREENS) {
        const response = await page.goto(`${server.url}${path}`);
        expect(response?.status(), path).toBe(200);
        // Open every disclosure so the breakdowns and chart tables are checked too.
        await page.evaluate(() => document.querySelectorAll("details").forEach((details) => (details.open = true)));
        await page.addScriptTag({ content: axe.source });
        const result = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document));
        expect(result.passes.length, path).toBeGreaterThan(10);
        for (const violation of result.violations) found.push(`/${path}: ${violation.id} (${violation.nodes.length}) ${violation.nodes[0]?.target.join(" ")}`);
      }
      await page.close();
      expect(found).toEqual([]);
    });
  }

  test("every generated page is valid HTML (Nu HTML Checker)", async () => {
    const entries = await readdir(join(world.out, "internal"), { recursive: true, withFileTypes: true });
    const pages = entries.filter((entry) => entry.name.endsWith(".html")).map((entry) => join(entry.parentPath, entry.name));
    expect(pages.length).toBeGreaterThan(40);
    const jar = join(REPO, "node_modules/vnu-jar/build/dist/vnu.jar");
    const { stderr } = await promisify(execFile)("java", ["-jar", jar, "--errors-only", ...pages]).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
    expect(stderr).toBe("");
  });
});

describe("without JavaScript", () => {
  test("an operator follows priority recovery to a provider, then the run log down to one request", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator("#priority-recovery + p + ol a").nth(1).click();
    expect(await page.locator("h1").textContent()).toBe("Payment webhooks");
    expect(await page.locator("#check-stripe-webhook > h3").textContent()).toContain("degraded");

    await page.getByRole("link", { name: "Run log" }).click();
    await page.getByRole("link", { name: /^error \(\d+\)$/ }).click();
    expect(new URL(page.url()).pathname).toBe("/log/level/error/");
    const levels = await page.locator(".log-entries tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-level")));
    expect(levels.length).toBeGreaterThan(0);
    expect(new Set(levels)).toEqual(new Set(["error"]));

    await page.getByRole("link", { name: /^booking\.changed \(\d+\)$/ }).click();
    await page.locator(".log-entries a", { hasText: "req_a1b2c4" }).first().click();
    expect(await page.locator("h1").textContent()).toBe("Request req_a1b2c4");
    // The search box is an enhancement: hidden while JavaScript is off.
    expect(await page.locator("#log-search").isVisible()).toBe(false);
    await context.close();
  });
});

describe("with JavaScript", () => {
  test("the run log's search narrows the rows of the page", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}log/`);
    const rows = page.locator(".log-entries tbody tr");
    const all = await rows.count();
    await page.locator("#log-search").fill("waitlist update retried");
    const visible = await rows.evaluateAll((list) => list.filter((row) => !(row as HTMLElement).hidden).map((row) => row.textContent));
    expect(visible).toHaveLength(1);
    expect(visible[0]).toContain("Waitlist update retried");
    await page.locator("#log-search").fill("");
    expect(await rows.evaluateAll((list) => list.filter((row) => !(row as HTMLElement).hidden).length)).toBe(all);
    await page.close();
  });
});

describe("screenshots", () => {
  test("the tool writes the room, a provider needing attention and the dashboard as PNG", async () => {
    const out = await tempDir();
    const files = await takeScreenshots({ site: join(world.out, "internal"), out });
    expect(files.map((file) => file.slice(out.length + 1))).toEqual(["room.png", "provider.png", "dashboard.png"]);
    for (const file of files) {
      const bytes = await readFile(file);
      expect(bytes.subarray(1, 4).toString()).toBe("PNG");
      expect(bytes.length).toBeGreaterThan(20_000);
    }
  });
});
