/**
 * The pending ref: where plain probe results wait between commits to main. Each run adds one file
 * `runs/<time>-<run>.json` holding what it appended to NDJSON files and the latest content of files it
 * rewrote; runs never touch each other's files, so concurrent pushes only need a retry, never a merge.
 * The ref lives on the remote (an Actions job's working tree does not survive); a commit to main absorbs
 * the waiting runs and then removes exactly those files. Absorbing twice is harmless: appends skip lines
 * already present.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readTextIfExists, writeFileAtomic } from "../store/files.ts";
import { git, revParse } from "./git.ts";

export const PENDING_BRANCH = "signalroom/pending";

export interface PendingRun {
  /** File name on the pending ref. */
  name: string;
  run: string;
  at: string;
  /** Lines appended to each file (NDJSON results and logs). */
  appends: Record<string, string[]>;
  /** Whole content of each file the run rewrote (state, rollups); the newest run wins. */
  snapshots: Record<string, string>;
}

export interface Pending {
  /** Commit the remote's pending ref pointed to when fetched; undefined when there is none. */
  head?: string;
  runs: PendingRun[];
}

const trackingRef = (remote: string) => `refs/remotes/${remote}/${PENDING_BRANCH}`;

export async function fetchPending(root: string, remote: string): Promise<Pending> {
  try {
    await git(root, ["fetch", "--quiet", "--no-tags", remote, `+refs/heads/${PENDING_BRANCH}:${trackingRef(remote)}`]);
  } catch (error) {
    if (!/couldn't find remote ref/i.test((error as Error).message)) throw error;
    await git(root, ["update-ref", "-d", trackingRef(remote)]).catch(() => undefined);
    return { runs: [] };
  }
  const head = await revParse(root, trackingRef(remote));
  if (!head) return { runs: [] };
  const names = (await git(root, ["ls-tree", "-r", "--name-only", head, "runs/"])).split("\n").filter(Boolean);
  const runs: PendingRun[] = [];
  for (const path of names) runs.push({ ...JSON.parse(await git(root, ["show", `${head}:${path}`])), name: path.slice("runs/".length) });
  runs.sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name));
  return { head, runs };
}

/** Applies waiting runs to the working tree, oldest first; returns the paths it touched. */
export async function hydrate(root: string, runs: readonly PendingRun[]): Promise<string[]> {
  const touched = new Set<string>();
  for (const run of runs) {
    for (const [path, lines] of Object.entries(run.appends)) {
      const current = (await readTextIfExists(join(root, path))) ?? "";
      const present = new Set(current.split("\n"));
      const missing = lines.filter((line) => !present.has(line));
      if (missing.length === 0) continue;
      const base = current === "" || current.endsWith("\n") ? current : `${current}\n`;
      await writeFileAtomic(join(root, path), `${base}${missing.join("\n")}\n`);
      touched.add(path);
    }
    for (const [path, content] of Object.entries(run.snapshots)) {
      if ((await readTextIfExists(join(root, path))) === content) continue;
      await writeFileAtomic(join(root, path), content);
      touched.add(path);
    }
  }
  return [...touched].sort();
}

/** The contents of `paths` now, to diff against after the cycle. */
export async function snapshotFiles(root: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
  const files = new Map<string, string | undefined>();
  for (const path of paths) files.set(path, await readTextIfExists(join(root, path)));
  return files;
}

/** What the run changed in `paths` since `before`: lines appended to NDJSON files, else the whole content. */
export async function describeRun(root: string, run: string, at: string, before: Map<string, string | undefined>): Promise<PendingRun | undefined> {
  const entry: PendingRun = { name: `${at.replace(/[:.]/g, "")}-${run}.json`, run, at, appends: {}, snapshots: {} };
  for (const [path, old] of before) {
    const now = await readTextIfExists(join(root, path));
    if (now === undefined || now === old) continue;
    const prefix = old ?? "";
    // NDJSON files (results, run log) only grow; any other file is kept whole.
    if (path.endsWith(".ndjson") && (prefix === "" || prefix.endsWith("\n")) && now.startsWith(prefix)) entry.appends[path] = now.slice(prefix.length).split("\n").filter(Boolean);
    else entry.snapshots[path] = now;
  }
  return Object.keys(entry.appends).length + Object.keys(entry.snapshots).length ? entry : undefined;
}

/** Puts the files back as they were before the run (its results now wait on the pending ref). */
export async function restoreFiles(root: string, before: Map<string, string | undefined>): Promise<void> {
  for (const [path, content] of before) {
    if (content === undefined) await rm(join(root, path), { force: true });
    else await writeFileAtomic(join(root, path), content);
  }
}

interface TreeEdit {
  add?: PendingRun;
  remove?: ReadonlySet<string>;
}

/** Rewrites the pending ref on the remote with a lease, so a concurrent run's push is never overwritten. */
async function editPending(root: string, remote: string, edit: TreeEdit, attempts: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const pending = await fetchPending(root, remote);
    const present = new Set(pending.runs.map((run) => run.name));
    const removing = [...(edit.remove ?? [])].filter((name) => present.has(name));
    if (!edit.add && removing.length === 0) return;
    const index = join((await git(root, ["rev-parse", "--absolute-git-dir"])).trim(), `signalroom-pending-${process.pid}.index`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await git(root, pending.head ? ["read-tree", pending.head] : ["read-tree", "--empty"], { env });
      for (const name of removing) await git(root, ["update-index", "--force-remove", `runs/${name}`], { env });
      if (edit.add) {
        const blob = (await git(root, ["hash-object", "-w", "--stdin"], { input: `${JSON.stringify({ run: edit.add.run, at: edit.add.at, appends: edit.add.appends, snapshots: edit.add.snapshots })}\n` })).trim();
        await git(root, ["update-index", "--add", "--cacheinfo", `100644,${blob},runs/${edit.add.name}`], { env });
      }
      const tree = (await git(root, ["write-tree"], { env })).trim();
      // Adding extends the chain; absorbing starts a fresh root commit, so absorbed results become unreachable.
      const parents = edit.add && pending.head ? ["-p", pending.head] : [];
      const message = edit.add ? `Results of probe run ${edit.add.run} waiting for the next commit` : `Absorbed ${removing.length} runs into the main branch`;
      const commit = (await git(root, ["commit-tree", tree, ...parents, "-m", message])).trim();
      await git(root, ["push", "--quiet", `--force-with-lease=refs/heads/${PENDING_BRANCH}:${pending.head ?? ""}`, remote, `${commit}:refs/heads/${PENDING_BRANCH}`]);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(50 + Math.random() * 200 * attempt);
    } finally {
      await rm(index, { force: true });
    }
  }
}

export const addPendingRun = (root: string, remote: string, run: PendingRun, attempts = 8) => editPending(root, remote, { add: run }, attempts);
export const removePendingRuns = (root: string, remote: string, names: ReadonlySet<string>, attempts = 8) => editPending(root, remote, { remove: names }, attempts);
