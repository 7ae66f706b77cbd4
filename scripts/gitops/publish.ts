/**
 * The end of a probe cycle: commit and push, safely when runs race. Explicit paths only (never
 * `git add .`). A rejected push is rebased; when the rebase conflicts (two runs appended to the same
 * results file), the tree is reset to the remote and the cycle's result is applied again on it, since
 * the pure core makes recomputing cheaper and safer than merging files by hand.
 *
 * Plain results are not committed every run: they wait on the pending ref (pending.ts) until the
 * oldest has waited `sampleBatch` or the run has something urgent, then one commit absorbs them.
 *
 * Nothing a cycle wrote is lost when pushing fails for good (the remote is unreachable, the branch is
 * protected, the race never ends): its changes go to the pending ref marked urgent, or, when that fails
 * too, into this clone's spool; the next run applies them first and commits them.
 */
import { realpath } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { commitDue, commitMessage } from "../core/commit-policy.ts";
import { git, GitError } from "./git.ts";
import {
  addPendingRun,
  clearUnpublished,
  describeRun,
  fetchPending,
  hydrate,
  keepUnpublished,
  readUnpublished,
  removePendingRuns,
  restoreFiles,
  snapshotFiles,
  type PendingRun,
} from "./pending.ts";

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
  /** Runs absorbed from the pending ref and this clone's spool (this one included when committed). */
  runs: number;
}

/** Pushing failed for good; `kept` says where the cycle's changes wait for the next run. */
export class PublishError extends Error {
  override name = "PublishError";
  readonly kept: "pending" | "local";
  constructor(message: string, kept: "pending" | "local") {
    super(message);
    this.kept = kept;
  }
}

async function contentAt(root: string, revision: string, path: string): Promise<string | undefined> {
  try {
    return await git(root, ["show", `${revision}:${path}`]);
  } catch {
    return undefined;
  }
}

async function dirtyPaths(root: string): Promise<string[]> {
  const status = await git(root, ["status", "--porcelain", "-z", "--untracked-files=all"]);
  return status.split("\0").filter(Boolean).map((entry) => entry.slice(3));
}

/** Any git failure on the way to the remote (rejected, unreachable, refused) is a failed attempt, not a crash. */
async function attempt(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
  }
}

const pushed = (root: string, remote: string, branch: string) => attempt(() => git(root, ["push", "--quiet", remote, `HEAD:refs/heads/${branch}`]));

async function rebased(root: string, remote: string, branch: string): Promise<boolean> {
  if (!(await attempt(() => git(root, ["fetch", "--quiet", "--no-tags", remote, branch])))) return false;
  if (await attempt(() => git(root, ["rebase", "--quiet", `${remote}/${branch}`]))) return true;
  await git(root, ["rebase", "--abort"]).catch(() => undefined);
  return false;
}

/** Brings the clean tree up to the remote's branch; an unreachable remote leaves it where it is. */
async function syncBranch(root: string, remote: string, branch: string): Promise<void> {
  if (!(await attempt(() => git(root, ["fetch", "--quiet", "--no-tags", remote, branch])))) return;
  try {
    await git(root, ["merge", "--quiet", "--ff-only", `${remote}/${branch}`]);
  } catch (error) {
    throw new Error(`This clone has commits that are not on ${remote}/${branch}; push or reset them first (${(error as Error).message})`);
  }
}

/** The remote's waiting runs, or none when it cannot be reached (the cycle still runs and is kept). */
async function waitingOnRemote(root: string, remote: string): Promise<{ runs: PendingRun[]; reachable: boolean }> {
  try {
    return { runs: (await fetchPending(root, remote)).runs, reachable: true };
  } catch (error) {
    if (error instanceof GitError) return { runs: [], reachable: false };
    throw error;
  }
}

/** Puts a cycle that could not be pushed where the next run finds it: the pending ref, else this clone. */
async function keep(root: string, remote: string, entry: PendingRun, reason: string): Promise<never> {
  if (await attempt(() => addPendingRun(root, remote, entry, 3))) {
    throw new PublishError(`${reason}; the run's results wait on the pending ref and the next run commits them.`, "pending");
  }
  const where = await keepUnpublished(root, entry);
  throw new PublishError(`${reason}, and the pending ref could not be reached either; the run's results are kept in ${where} and the next run from this clone publishes them.`, "local");
}

/** Why `root` cannot publish (not the top of a git checkout, no such remote), or undefined when it can. */
export async function checkoutProblem(root: string, remote = "origin"): Promise<string | undefined> {
  let top: string;
  try {
    top = (await git(root, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return `needs --root to be a git checkout (${root} is not one)`;
  }
  if ((await realpath(top)) !== (await realpath(root))) return `needs --root to be the top of the git checkout (${top}), since probe runs commit paths relative to it`;
  const remotes = (await git(root, ["remote"])).split("\n");
  if (!remotes.includes(remote)) return `needs a remote named ${remote} to push to (this checkout has ${remotes.filter(Boolean).join(", ") || "none"})`;
  return undefined;
}

export async function publishCycle(options: PublishOptions): Promise<PublishOutcome> {
  const { root, run } = options;
  const remote = options.remote ?? "origin";
  const branch = options.branch ?? "main";
  const attempts = options.attempts ?? 6;
  const foreign = await dirtyPaths(root);
  if (foreign.length > 0) throw new Error(`The working tree has uncommitted changes (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}); probe runs publish only from a clean tree.`);
  await syncBranch(root, remote, branch);
  const spooled = await readUnpublished(root);

  for (let attemptNo = 1; ; attemptNo++) {
    const pending = await waitingOnRemote(root, remote);
    const waiting = [...pending.runs, ...spooled].sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name));
    const hydrated = await hydrate(root, waiting);
    const at = options.now().toISOString();
    const hydratedContent = await snapshotFiles(root, hydrated);
    let result: CycleResult;
    try {
      result = await options.apply(root);
    } catch (error) {
      // The tree was clean when publishing began: put it back, so the next run (or cycle) can publish.
      await git(root, ["reset", "--quiet", "--hard"]);
      await git(root, ["clean", "--quiet", "-fd"]);
      throw error;
    }
    // What a file held before the cycle: the hydrated copy, else the commit the tree was clean at.
    const before = async (revision: string) => {
      const files = new Map<string, string | undefined>();
      for (const path of result.paths) files.set(path, hydratedContent.has(path) ? hydratedContent.get(path) : await contentAt(root, revision, path));
      return files;
    };

    const urgent = result.urgent || spooled.length > 0 || waiting.some((entry) => entry.urgent);
    if (!commitDue({ urgent, pending: waiting.map((entry) => entry.at), now: options.now(), sampleBatch: options.sampleBatch })) {
      const files = await before("HEAD");
      const entry = await describeRun(root, run, at, files);
      for (const path of hydrated) if (!files.has(path)) files.set(path, hydratedContent.get(path));
      // Back to HEAD: the waiting results live on the pending ref, not in this tree.
      const original = new Map<string, string | undefined>();
      for (const path of files.keys()) original.set(path, await contentAt(root, "HEAD", path));
      await restoreFiles(root, original);
      if (entry && !(await attempt(() => addPendingRun(root, remote, entry)))) await keep(root, remote, entry, "Could not add the run to the pending ref");
      return { mode: entry ? "pending" : "unchanged", attempts: attemptNo, runs: waiting.length + (entry ? 1 : 0) };
    }

    const paths = [...new Set([...hydrated, ...result.paths])].sort();
    if (paths.length > 0) await git(root, ["add", "-A", "--", ...paths]);
    const staged = (await git(root, ["diff", "--cached", "--name-only"])).trim();
    if (!staged) return { mode: "unchanged", attempts: attemptNo, runs: 0 };
    await git(root, ["commit", "--quiet", "-m", commitMessage(result.urgent ? result.headline : undefined, [...waiting.map((entry) => entry.at), at])]);
    const base = (await git(root, ["rev-parse", "HEAD~1"])).trim();
    // Described before pushing, while the tree is exactly the cycle's result on its base.
    const last = attemptNo >= attempts ? await describeRun(root, run, at, await before(base), result.urgent) : undefined;

    if ((await pushed(root, remote, branch)) || ((await rebased(root, remote, branch)) && (await pushed(root, remote, branch)))) {
      const commit = (await git(root, ["rev-parse", "HEAD"])).trim();
      // Absorbed runs left on the ref by a failed removal are harmless: applying them again changes nothing.
      await attempt(() => removePendingRuns(root, remote, new Set(pending.runs.map((entry) => entry.name))));
      await clearUnpublished(root, spooled);
      return { mode: "committed", commit, attempts: attemptNo, runs: waiting.length + 1 };
    }
    if (attemptNo >= attempts) {
      await git(root, ["reset", "--quiet", "--hard", base]);
      await git(root, ["clean", "--quiet", "-fd", "--", ...paths]);
      if (!last) return { mode: "unchanged", attempts: attemptNo, runs: 0 };
      return keep(root, remote, last, `Could not push to ${remote}/${branch} after ${attempts} attempts${pending.reachable ? "" : " (the remote could not be reached)"}`);
    }
    // Conflict: start over from the remote's tree and apply the cycle's result again.
    const target = (await attempt(() => git(root, ["rev-parse", "--verify", "--quiet", `${remote}/${branch}`]))) ? `${remote}/${branch}` : base;
    await git(root, ["reset", "--quiet", "--hard", target]);
    await git(root, ["clean", "--quiet", "-fd", "--", ...paths]);
    await sleep(50 + Math.random() * 250 * attemptNo);
  }
}
