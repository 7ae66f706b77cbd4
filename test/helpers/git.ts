import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { git } from "../../scripts/gitops/git.ts";
import { REPO, tempDir } from "./workspace.ts";

export interface Origin {
  bare: string;
  /** A fresh clone, like the checkout of an Actions job. */
  clone(name: string): Promise<string>;
}

/** A local bare repository seeded with the example workspace (checks/ without results, an empty incidents/). */
export async function originWithWorkspace(): Promise<Origin> {
  const dir = await tempDir("signalroom-git-");
  const bare = join(dir, "origin.git");
  await git(dir, ["init", "--quiet", "--bare", "--initial-branch=main", bare]);
  const seed = join(dir, "seed");
  await git(dir, ["clone", "--quiet", bare, seed]);
  await cp(join(REPO, "checks"), join(seed, "checks"), { recursive: true, filter: (source) => !/checks\/(results|rollups|logs|state\.json)/.test(source) });
  await mkdir(join(seed, "incidents"), { recursive: true });
  await writeFile(join(seed, "incidents", ".gitkeep"), "");
  await git(seed, ["add", "--", "checks", "incidents"]);
  await git(seed, ["commit", "--quiet", "-m", "Seed the workspace"]);
  await git(seed, ["push", "--quiet", "origin", "HEAD:main"]);
  return {
    bare,
    async clone(name) {
      const path = join(dir, name);
      await git(dir, ["clone", "--quiet", "--branch", "main", bare, path]);
      return path;
    },
  };
}

/** Files of a commit on the bare origin: `git show main:path`. */
export async function showFile(bare: string, ref: string, path: string): Promise<string | undefined> {
  try {
    return await git(bare, ["show", `${ref}:${path}`]);
  } catch {
    return undefined;
  }
}

export async function listFiles(bare: string, ref: string, dir: string): Promise<string[]> {
  try {
    return (await git(bare, ["ls-tree", "-r", "--name-only", ref, dir])).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
