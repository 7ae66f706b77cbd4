/**
 * "Two audiences, one source": public entry points may reach only site/public/**, the UI strings and the
 * public view (scripts/core/public-view.ts and the pure modules it is built from). The one door to the
 * workspace is site/public/data.ts, which hands pages nothing but the status model.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { publicRoutes } from "../../site/public/routes.ts";
import { REPO } from "../helpers/workspace.ts";

const PUBLIC_VIEW = ["scripts/core/public-view.ts", "scripts/core/public-history.ts", "scripts/core/maintenance-windows.ts", "scripts/core/zones.ts", "scripts/core/rollup.ts", "scripts/core/markdown-limits.ts", "scripts/core/logo.ts"];
const DATA_DOOR = { from: "site/public/data.ts", to: "site/shared/load.ts" };

/** Value imports of a module (type-only imports are erased and carry no data). */
async function importsOf(file: string): Promise<string[]> {
  const source = await readFile(join(REPO, file), "utf8");
  const code = file.endsWith(".astro") ? (source.match(/^---\n([\s\S]*?)\n---/)?.[1] ?? "") : source;
  const specifiers = [...code.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm)].map((match) => match[1]!);
  const dynamic = [...code.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!);
  return [...specifiers, ...dynamic].filter((specifier) => specifier.startsWith(".")).map((specifier) => relative(REPO, resolve(dirname(join(REPO, file)), specifier)));
}

interface Edge {
  from: string;
  to: string;
}

async function graph(entries: string[]): Promise<{ files: Set<string>; edges: Edge[] }> {
  const files = new Set<string>();
  const edges: Edge[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const target of await importsOf(file)) {
      edges.push({ from: file, to: target });
      // The workspace behind the data door is the model's input, not something pages can reach.
      if (!(file === DATA_DOOR.from && target === DATA_DOOR.to)) queue.push(target);
    }
  }
  return { files, edges };
}

const allowed = (file: string) => file.startsWith("site/public/") || file === "site/shared/strings.ts" || PUBLIC_VIEW.includes(file);

describe("the public site's import graph", () => {
  test("every public entry point reaches only site/public, the strings and the public view; the workspace only through data.ts", async () => {
    const entries = publicRoutes.map((route) => relative(REPO, resolve(REPO, route.entrypoint)));
    const { files, edges } = await graph(entries);
    expect(files.size).toBeGreaterThan(entries.length);
    expect([...files].filter((file) => !allowed(file))).toEqual([]);
    expect(edges.filter((edge) => edge.to === DATA_DOOR.to)).toEqual([DATA_DOOR]);
    expect(edges.some((edge) => edge.to === "scripts/core/public-view.ts")).toBe(true);
  });

  test("the walker sees what a forbidden import would look like", async () => {
    // The internal room's page reaches the room model: the same walk reports it as not allowed.
    const { files } = await graph(["site/internal/pages/index.astro"]);
    expect([...files].filter((file) => !allowed(file))).toEqual(expect.arrayContaining(["site/internal/pages/index.astro", "scripts/core/room.ts"]));
  });
});
