/**
 * `npm run bench -- site`: a synthetic repository of 500 components, 400 days of rollups and 1,000
 * incidents; both sites built; size of the output and of what the home page needs; build time at 50 and
 * 500 components to show how it grows.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildSite, type BuildOptions } from "../commands/build.ts";
import type { Bench, BenchContext } from "./bench.ts";
import { writeStatusWorld, type WorldSize } from "./status-world.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const FULL: WorldSize = { components: 500, groups: 25, days: 400, incidents: 1000 };
const SMALL: WorldSize = { components: 50, groups: 5, days: 400, incidents: 100 };

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** The home page and every file a browser must fetch to show it: stylesheets, scripts, images, fonts. */
async function homeWeight(site: string, basePath: string): Promise<{ gzip: number; js: number }> {
  const html = await readFile(join(site, "index.html"), "utf8");
  const local = (url: string) => join(site, url.replace(new RegExp(`^${basePath.replace(/\/$/, "")}/`), ""));
  const assets = [
    ...[...html.matchAll(/<link[^>]+rel="(?:stylesheet|preload|icon)"[^>]*href="([^"]+)"/g)].map((match) => match[1]!),
    ...[...html.matchAll(/<(?:img|script)[^>]+src="([^"]+)"/g)].map((match) => match[1]!),
  ].filter((url) => !/^https?:/.test(url));
  let gzip = gzipSync(html).length;
  let js = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, match) => sum + Buffer.byteLength(match[1]!), 0);
  for (const asset of assets) {
    const bytes = await readFile(local(asset));
    gzip += gzipSync(bytes).length;
    if (asset.endsWith(".js") || asset.endsWith(".mjs")) js += bytes.length;
  }
  return { gzip, js };
}

async function measure(context: BenchContext, size: WorldSize): Promise<{ public: number; internal: number; out: string; work: string }> {
  const work = await mkdtemp(join(tmpdir(), "signalroom-bench-"));
  const root = join(work, "workspace");
  context.terminal.progress(`Writing ${size.components} components, ${size.days} days, ${size.incidents} incidents…`);
  await writeStatusWorld(root, size, NOW);
  const options: BuildOptions = { repo: context.repo, root, out: join(work, "dist"), now: NOW, url: "https://status.example.com", basePath: "/", env: context.env };
  context.terminal.progress(`Building the public site (${size.components} components)…`);
  const publicBuild = await buildSite("public", options);
  context.terminal.progress(`Building the operations room (${size.components} components)…`);
  const internalBuild = await buildSite("internal", options);
  context.terminal.clearProgress();
  return { public: publicBuild.ms / 1000, internal: internalBuild.ms / 1000, out: join(work, "dist"), work };
}

export const site: Bench = {
  name: "site",
  summary: "Build both sites from 500 components, 400 days of rollups and 1,000 incidents; output size and home page weight.",
  options: {},
  async run(context) {
    const small = await measure(context, SMALL);
    await rm(small.work, { recursive: true, force: true });
    const full = await measure(context, FULL);
    try {
      const home = await homeWeight(join(full.out, "public"), "/");
      const round = (value: number) => Number(value.toFixed(2));
      return {
        figures: {
          build_s_public: round(full.public),
          build_s_internal: round(full.internal),
          build_s: round(full.public + full.internal),
          build_s_50_components: round(small.public + small.internal),
          build_s_500_components: round(full.public + full.internal),
          output_mb: round((await folderBytes(join(full.out, "public"))) / 1_048_576),
          home_gzip_kb: round(home.gzip / 1024),
          home_js_kb: round(home.js / 1024),
        },
      };
    } finally {
      await rm(full.work, { recursive: true, force: true });
    }
  },
};
