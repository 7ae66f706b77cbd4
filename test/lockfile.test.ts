import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO } from "./helpers/workspace.ts";

interface LockEntry {
  version?: string;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
}

/**
 * `npm ci` (CI and every workflow) refuses a lockfile that misses any optional dependency, even one for
 * another platform. The registry these machines use lacks some of Astro's platform bindings, so npm
 * leaves them out when it writes the lockfile here; they are listed by hand (version, os, cpu) and this
 * test keeps them from going missing again.
 */
test("the lockfile lists every optional dependency, so npm ci accepts it on any platform", async () => {
  const lock = JSON.parse(await readFile(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${path}/node_modules/${name}`;
      const found = lock.packages[nested] ?? lock.packages[`node_modules/${name}`];
      if (!found) missing.push(`${name}@${range} (wanted by ${path || "the project"})`);
    }
  }
  expect(missing).toEqual([]);
});
