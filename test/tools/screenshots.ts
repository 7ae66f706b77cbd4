/**
 * Screenshots of the public site for the README: the home page in light and dark, and one incident page.
 *
 *   npm run screenshots                       the example configuration with synthetic history, built now
 *   npm run screenshots -- --root DIR         a workspace of yours (e.g. the demo's), built now
 *   npm run screenshots -- --site DIR         an already built public site (e.g. dist/public)
 *   options: --incident ID (default: the first open incident, else the newest), --out DIR (docs/screenshots)
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeExampleHistory } from "../../scripts/bench/status-world.ts";
import { main } from "../../scripts/cli.ts";
import { serveStatic } from "../../scripts/demo/serve.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { launchBrowser } from "../helpers/browser.ts";

const REPO = resolve(import.meta.dirname, "../..");
const { values } = parseArgs({ options: { root: { type: "string" }, site: { type: "string" }, incident: { type: "string" }, out: { type: "string" } } });
const out = resolve(values.out ?? join(REPO, "docs/screenshots"));
const work = await mkdtemp(join(tmpdir(), "signalroom-screenshots-"));

try {
  let site = values.site ? resolve(values.site) : undefined;
  if (!site) {
    let root = values.root ? resolve(values.root) : undefined;
    if (!root) {
      root = join(work, "workspace");
      await cp(join(REPO, "checks"), join(root, "checks"), { recursive: true, filter: (source) => !/checks\/(results|rollups|logs|state\.json)/.test(source) });
      const { workspace } = await loadWorkspace(root);
      if (!workspace) throw new Error("The example configuration does not validate.");
      await writeExampleHistory(root, new Date(), workspace.providers);
    }
    const code = await main(["build", "--root", root, "--out", join(work, "dist"), "--only", "public"]);
    if (code !== 0) throw new Error("The public site did not build.");
    site = join(work, "dist/public");
  }
  const summary = JSON.parse(await readFile(join(site, "api/v2/incidents.json"), "utf8")) as { incidents: { id: string; status: string }[] };
  const incident = values.incident ?? (summary.incidents.find((entry) => entry.status !== "resolved") ?? summary.incidents[0])?.id;
  const basePath = new URL(JSON.parse(await readFile(join(site, "api/v2/status.json"), "utf8")).page.url).pathname;
  const server = await serveStatic(site, basePath);
  const browser = await launchBrowser();
  try {
    const shots: [string, string, "light" | "dark"][] = [
      ["home-light.png", "", "light"],
      ["home-dark.png", "", "dark"],
      ...(incident ? ([["incident.png", `incidents/${incident}/`, "light"]] as [string, string, "light"][]) : []),
    ];
    for (const [file, path, colorScheme] of shots) {
      const page = await browser.newPage({ javaScriptEnabled: false, colorScheme, viewport: { width: 1000, height: 1300 } });
      await page.goto(`${server.url}${path}`);
      await page.screenshot({ path: join(out, file) });
      await page.close();
      console.log(`✓ ${join(out, file)}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
