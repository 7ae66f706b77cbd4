import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach } from "vitest";

export const REPO = resolve(import.meta.dirname, "../..");

const created: string[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A throwaway folder, removed after the test. */
export async function tempDir(prefix = "signalroom-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A throwaway copy of the repository's example workspace (checks/ and incidents/). */
export async function exampleWorkspace(): Promise<string> {
  const dir = await tempDir();
  await cp(join(REPO, "checks"), join(dir, "checks"), {
    recursive: true,
    filter: (source) => !/checks\/(results|rollups|logs|state\.json)/.test(source),
  });
  await mkdir(join(dir, "incidents"), { recursive: true });
  return dir;
}

/** Edits a file of a workspace by plain text replacement; fails loudly when the text is not there. */
export async function edit(root: string, file: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(root, file);
  const text = await readFile(path, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file} does not contain ${String(from)}`);
  await writeFile(path, next);
}

export async function put(root: string, file: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content);
}
