/**
 * The end of a probe cycle: commit and push, safely when runs race. Explicit paths only (never
 * `git add .`). A rejected push is rebased; when the rebase conflicts (two runs appended to the same
 * results file), the tree is reset to the remote and the cycle's result is applied again on it, since
 * the pure core makes recomputing cheaper and safer than merging files by hand.
 *
 * Plain results are not committed every run: they wait on the pending ref (pending.ts) until the
 * oldest has waited `sampleBatch` or the run has something urgent, then one commit absorbs them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { commitDue, commitMessage } from "../core/commit-policy.ts";
import { git, GitError } from "./git.ts";
import { addPendingRun, describeRun, fetchPending, hydrate, removePendingRuns, restoreFiles, snapshotFiles } from "./pending.ts";

export interface CycleResult {
  /** Every path (relative to the repository root) the cycle wrote or deleted. */
  paths: string[];
  /** A state change or an incident edit: commit at once. */
  urgent: boolean;
  /** First line of the commit when urgent, e.g. "stripe-webhook down; opened incident …". */
  headline?: string;
}

export interface PublishOptions {
  root: string;
  remote?: string;
  branch?: string;
  run: string;
  now: () => Date;
  sampleBatch: number;
  /** Writes the cycle's result into the tree; called again on the new tree after a conflict. */
  apply(root: string): Promise<CycleResult>;
  attempts?: number;
}

export interface PublishOutcome {
  mode: "committed" | "pending" | "unchanged";
  commit?: string;
  attempts: number;
  /** Runs absorbed from the pending ref (this one included when committed). */
  runs: number;
}

async function headContent(root: string, path: string): Promise<string | undefined> {
  try {
    return await git(root, ["show", `HEAD:${path}`]);
  } catch {
    return undefined;
  }
}

async function dirtyPaths(root: string): Promise<string[]> {
  const status = await git(root, ["status", "--porcelain", "-z", "--untracked-files=all"]);
  return status.split("\0").filter(Boolean).map((entry) => entry.slice(3));
}

async function pushed(root: string, remote: string, branch: string): Promise<boolean> {
  try {
    await git(root, ["push", "--quiet", remote, `HEAD:refs/heads/${branch}`]);
    return true;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
  }
}

async function rebased(root: string, remote: string, branch: string): Promise<boolean> {
  await git(root, ["fetch", "--quiet", "--no-tags", remote, branch]);
  try {
    await git(root, ["rebase", "--quiet", `${remote}/${branch}`]);
    return true;
  } catch {
    await git(root, ["rebase", "--abort"]).catch(() => undefined);
    return false;
  }
}

export async function publishCycle(options: PublishOptions): Promise<PublishOutcome> {
  const { root, run } = options;
  const remote = options.remote ?? "origin";
  const branch = options.branch ?? "main";
  const attempts = options.attempts ?? 6;
  const foreign = await dirtyPaths(root);
  if (foreign.length > 0) throw new Error(`The working tree has uncommitted changes (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}); probe runs publish only from a clean tree.`);
  await git(root, ["fetch", "--quiet", "--no-tags", remote, branch]);
  await git(root, ["merge", "--quiet", "--ff-only", `${remote}/${branch}`]);

  for (let attempt = 1; attempt <= attempts; attempt++) {
    const pending = await fetchPending(root, remote);
    const hydrated = await hydrate(root, pending.runs);
    const at = options.now().toISOString();
    const hydratedContent = await snapshotFiles(root, hydrated);
    const result = await options.apply(root);

    if (!commitDue({ urgent: result.urgent, pending: pending.runs.map((entry) => entry.at), now: options.now(), sampleBatch: options.sampleBatch })) {
      // The tree was clean before hydration, so what a file held before the cycle is HEAD's or the hydrated copy.
      const before = new Map<string, string | undefined>();
      for (const path of result.paths) before.set(path, hydratedContent.has(path) ? hydratedContent.get(path) : await headContent(root, path));
      const entry = await describeRun(root, run, at, before);
      for (const path of hydrated) if (!before.has(path)) before.set(path, hydratedContent.get(path));
      // Back to HEAD: the waiting results live on the pending ref, not in this tree.
      const original = new Map<string, string | undefined>();
      for (const path of before.keys()) original.set(path, await headContent(root, path));
      if (entry) await addPendingRun(root, remote, entry);
      await restoreFiles(root, original);
      return { mode: entry ? "pending" : "unchanged", attempts: attempt, runs: pending.runs.length + (entry ? 1 : 0) };
    }

    const paths = [...new Set([...hydrated, ...result.paths])].sort();
    if (paths.length > 0) await git(root, ["add", "-A", "--", ...paths]);
    const staged = (await git(root, ["diff", "--cached", "--name-only"])).trim();
    if (!staged) return { mode: "unchanged", attempts: attempt, runs: 0 };
    await git(root, ["commit", "--quiet", "-m", commitMessage(result.urgent ? result.headline : undefined, [...pending.runs.map((entry) => entry.at), at])]);

    if ((await pushed(root, remote, branch)) || ((await rebased(root, remote, branch)) && (await pushed(root, remote, branch)))) {
      const commit = (await git(root, ["rev-parse", "HEAD"])).trim();
      await removePendingRuns(root, remote, new Set(pending.runs.map((entry) => entry.name)));
      return { mode: "committed", commit, attempts: attempt, runs: pending.runs.length + 1 };
    }
    // Conflict: start over from the remote's tree and apply the cycle's result again.
    await git(root, ["reset", "--quiet", "--hard", `${remote}/${branch}`]);
    await git(root, ["clean", "--quiet", "-fd", "--", ...paths]);
    await sleep(50 + Math.random() * 250 * attempt);
  }
  throw new Error(`Could not push to ${remote}/${branch} after ${attempts} attempts; the results stay in this working tree.`);
}
