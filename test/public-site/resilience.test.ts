/**
 * A build that content cannot break: markdown past the renderer's limits is shown as escaped text with a
 * warning that names the file, a build that fails keeps the last good site, what validate refuses is
 * never built, and without page.url the site leaves out what needs absolute addresses (one warning).
 * Also the page's own look from the configuration: logo, accent colour, favicon.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { writeIncident } from "../../scripts/bench/status-world.ts";
import { manualClock } from "../../scripts/core/clock.ts";
import { runCli } from "../helpers/cli.ts";
import { edit, tempDir } from "../helpers/workspace.ts";
import { listFiles, NOW, workspaceWithHistory } from "./fixtures.ts";

const build = (root: string, out: string) => runCli(["build", "--root", root, "--out", out, "--only", "public"], {}, { clock: manualClock(NOW) });

/** Markdown the renderer cannot take: 2,000 nested quotes (its stack overflows), 60 nested lists, 30,000 characters. */
const HOSTILE_MARKDOWN = {
  quotes: `${">".repeat(2000)} deep`,
  lists: Array.from({ length: 60 }, (_, level) => `${"  ".repeat(level)}- level ${level}`).join("\n"),
  long: `Long <b>story</b>. ${"word ".repeat(6000)}`,
};

describe("hostile content", () => {
  test("markdown past the limits is shown as escaped text with a warning naming the file; a failing build keeps the last good site", async () => {
    const root = await workspaceWithHistory();
    const out = await tempDir();
    expect((await build(root, out)).code).toBe(0);

    await writeIncident(root, {
      id: "deep",
      title: "Payments: requests failing",
      severity: "SEV-2",
      status: "investigating",
      providers: ["payment-webhooks"],
      impact: "major",
      started: "2026-11-20T09:00:00Z",
      summary: HOSTILE_MARKDOWN.long,
      updates: [
        { at: "2026-11-20T09:05:00Z", status: "investigating", message: HOSTILE_MARKDOWN.quotes },
        { at: "2026-11-20T09:10:00Z", status: "investigating", message: HOSTILE_MARKDOWN.lists },
      ],
    });
    const validate = await runCli(["validate", "--root", root]);
    expect(validate.code).toBe(0);
    const warnings = validate.stderr.split("\n").filter((line) => line.startsWith("incidents/deep.md"));
    expect(warnings).toEqual([
      expect.stringMatching(/^incidents\/deep\.md:\d+:\d+ summary: warning: is 30,019 characters long \(more than 20,000\): the public page shows it as plain text, not markdown$/),
      expect.stringMatching(/^incidents\/deep\.md:\d+:\d+ updates\[0\]\.message: warning: nests quotes or lists more than 8 levels deep: the public page shows it as plain text, not markdown$/),
      expect.stringMatching(/^incidents\/deep\.md:\d+:\d+ updates\[1\]\.message: warning: nests quotes or lists more than 8 levels deep/),
    ]);

    const hostile = await build(root, out);
    expect(hostile.code, hostile.stderr).toBe(0);
    expect(hostile.stderr).toContain("incidents/deep.md");
    const page = await readFile(join(out, "public/incidents/deep/index.html"), "utf8");
    expect(page).toContain("<p>&gt;&gt;&gt;&gt;&gt;");
    expect(page).not.toMatch(/<blockquote>\s*<blockquote>/);
    expect(page).toContain("Long &lt;b&gt;story&lt;/b&gt;.");
    expect(page).toContain("(shortened from 30,019 characters)");
    const good = await readFile(join(out, "public/index.html"), "utf8");
    expect(good).toContain("Payments: requests failing");

    // A build that dies inside Astro's process (here: a preloaded module that throws, as an out-of-memory
    // kill or a broken dependency would) leaves the last good site exactly as it was.
    const crash = join(await tempDir(), "crash.cjs");
    await writeFile(crash, 'throw new Error("the build process died");\n');
    const broken = await runCli(["build", "--root", root, "--out", out, "--only", "public"], { NODE_OPTIONS: `--require ${crash}` }, { clock: manualClock(NOW) });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("the build process died");
    expect(broken.stderr).toContain(`The last good site in ${join(out, "public")} was kept.`);
    expect(await readFile(join(out, "public/index.html"), "utf8")).toBe(good);
    expect(await readdir(out)).toEqual(["public"]);
  }, 240_000);

  test("validate refuses a javascript: page address, and the build then touches nothing", async () => {
    const root = await workspaceWithHistory();
    const out = await tempDir();
    expect((await build(root, out)).code).toBe(0);
    const before = await listFiles(join(out, "public"));
    await edit(root, "checks/signalroom.yaml", "url: https://status.example.com", "url: javascript:alert(document.domain)");
    const validate = await runCli(["validate", "--root", root]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/^checks\/signalroom\.yaml:\d+:\d+ page\.url: must be an http:\/\/ or https:\/\/ address$/m);
    const refused = await build(root, out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("nothing was built");
    expect(await listFiles(join(out, "public"))).toEqual(before);
  }, 120_000);
});

describe("without page.url", () => {
  test("the site builds without feeds, API, sitemap and social cards, and the build says so once", async () => {
    const root = await workspaceWithHistory();
    await edit(root, "checks/signalroom.yaml", /\n\s*url: https:\/\/status\.example\.com/, "");
    const out = await tempDir();
    const result = await build(root, out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split("\n").filter((line) => line.includes("page.url"))).toEqual([
      "checks/signalroom.yaml page.url: warning: is not set: the feeds, the Statuspage API, the sitemap and social cards need absolute addresses and are left out of the public site",
    ]);
    const files = await listFiles(join(out, "public"));
    expect(files.filter((file) => /\.(rss|atom)$|^api\/|^og\/|^sitemap/.test(file))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["index.html", "404.html", "favicon.svg", "robots.txt", "badges/payment-webhooks/status.svg", "incidents/payments-delayed/index.html"]));
    const home = await readFile(join(out, "public/index.html"), "utf8");
    expect(home).not.toMatch(/rel="alternate"|rel="canonical"|og:image|og:url|href="[^"]*history\.(rss|atom)"/);
    expect(await readFile(join(out, "public/robots.txt"), "utf8")).not.toContain("Sitemap");
    expect(await readFile(join(out, "public/components/payment-webhooks/index.html"), "utf8")).not.toContain('class="address"');
  }, 120_000);
});

describe("the page's own look", () => {
  const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#8a2be2"/></svg>';

  test("a logo and an accent colour from the configuration, and a favicon in that colour", async () => {
    const root = await workspaceWithHistory();
    await writeFile(join(root, "checks/logo.svg"), LOGO);
    await edit(root, "checks/signalroom.yaml", "timezone: UTC", "timezone: UTC\n  logo: checks/logo.svg\n  accent: \"#8a2be2\"");
    const out = await tempDir();
    const result = await build(root, out);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(out, "public/logo.svg"), "utf8")).toBe(LOGO);
    expect(await readFile(join(out, "public/favicon.svg"), "utf8")).toContain('fill="#8a2be2"');
    const home = await readFile(join(out, "public/index.html"), "utf8");
    expect(home).toContain('<img src="/logo.svg" alt="" height="32">');
    expect(home).toContain(":root{--accent:#8a2be2}");
    expect(home).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  }, 120_000);

  test("validate refuses a logo that is missing, too large, or an SVG that could run script", async () => {
    const root = await workspaceWithHistory();
    await edit(root, "checks/signalroom.yaml", "timezone: UTC", "timezone: UTC\n  logo: checks/logo.svg");
    const problem = async () => (await runCli(["validate", "--root", root])).stderr.split("\n").find((line) => line.includes("page.logo"));
    expect(await problem()).toMatch(/page\.logo: names checks\/logo\.svg, which does not exist$/);
    await writeFile(join(root, "checks/logo.svg"), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    expect(await problem()).toMatch(/page\.logo: checks\/logo\.svg holds script, event handlers, foreign objects or outside references/);
    await writeFile(join(root, "checks/logo.svg"), `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${"x".repeat(300 * 1024)} --></svg>`);
    expect(await problem()).toMatch(/page\.logo: checks\/logo\.svg is 301 KB; a logo may be at most 256 KB$/);
  }, 60_000);
});
