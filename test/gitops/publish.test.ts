import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { git } from "../../scripts/gitops/git.ts";
import { fetchPending, PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { publishCycle, type CycleResult } from "../../scripts/gitops/publish.ts";
import { listFiles, originWithWorkspace, showFile } from "../helpers/git.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-16T10:00:00Z");
const RESULTS = "checks/results/2026-11-16.local.ndjson";

/** A cycle that appends one line per run and rewrites a small state file; urgent when told. */
function cycle(line: string, urgent = false, headline?: string) {
  return async (root: string): Promise<CycleResult> => {
    await mkdir(join(root, "checks/results"), { recursive: true });
    await appendFile(join(root, RESULTS), `${line}\n`);
    await writeFile(join(root, "checks/state.json"), `${JSON.stringify({ last: line })}\n`);
    return { paths: [RESULTS, "checks/state.json"], urgent, headline };
  };
}

const commits = async (bare: string) => Number((await git(bare, ["rev-list", "--count", "main"])).trim());

describe("gitops: commit policy and push", () => {
  test("plain results wait on the pending ref and are committed in one batch once the oldest has waited sampleBatch", async () => {
    const origin = await originWithWorkspace();
    const before = await commits(origin.bare);
    for (let i = 0; i < 3; i++) {
      const root = await origin.clone(`job-${i}`); // every Actions job starts from a fresh checkout
      const outcome = await publishCycle({ root, run: `r${i}`, now: () => new Date(T0 + i * 5 * MIN), sampleBatch: 60 * MIN, apply: cycle(`line ${i}`) });
      expect(outcome.mode).toBe("pending");
      expect(await git(root, ["status", "--porcelain"])).toBe(""); // the tree is back to HEAD
    }
    expect(await commits(origin.bare)).toBe(before);
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toHaveLength(3);

    const root = await origin.clone("job-due");
    const outcome = await publishCycle({ root, run: "r3", now: () => new Date(T0 + 61 * MIN), sampleBatch: 60 * MIN, apply: cycle("line 3") });
    expect(outcome).toMatchObject({ mode: "committed", runs: 4 });
    expect(await commits(origin.bare)).toBe(before + 1);
    expect(await showFile(origin.bare, "main", RESULTS)).toBe("line 0\nline 1\nline 2\nline 3\n");
    expect(await showFile(origin.bare, "main", "checks/state.json")).toBe('{"last":"line 3"}\n');
    expect((await git(origin.bare, ["log", "-1", "--format=%s%n%an", "main"])).trim()).toBe("Record results of 4 probe runs (2026-11-16 10:00–11:01 UTC)\nsignalroom[bot]");
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toEqual([]);
  });

  test("an urgent change is committed at once and carries the waiting results with it", async () => {
    const origin = await originWithWorkspace();
    await publishCycle({ root: await origin.clone("a"), run: "r0", now: () => new Date(T0), sampleBatch: 60 * MIN, apply: cycle("line 0") });
    const outcome = await publishCycle({ root: await origin.clone("b"), run: "r1", now: () => new Date(T0 + 5 * MIN), sampleBatch: 60 * MIN, apply: cycle("line 1", true, "stripe-webhook down") });
    expect(outcome.mode).toBe("committed");
    expect(await showFile(origin.bare, "main", RESULTS)).toBe("line 0\nline 1\n");
    expect((await git(origin.bare, ["log", "-1", "--format=%B", "main"])).trim()).toBe(
      "stripe-webhook down\n\nAlso records the batched results of 2 probe runs (2026-11-16 10:00–10:05 UTC).",
    );
  });

  test("racing runs that append to the same file both land: the loser re-applies its result on the winner's tree", async () => {
    const origin = await originWithWorkspace();
    const [a, b] = [await origin.clone("a"), await origin.clone("b")];
    // Both start from the same commit; b's push is rejected and its rebase conflicts on the results file.
    let applied = 0;
    const outcomes = await Promise.all([
      publishCycle({ root: a, run: "a", now: () => new Date(T0), sampleBatch: 60 * MIN, apply: cycle("from a", true, "a") }),
      publishCycle({
        root: b,
        run: "b",
        now: () => new Date(T0),
        sampleBatch: 60 * MIN,
        apply: async (root) => {
          applied += 1;
          return cycle("from b", true, "b")(root);
        },
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.mode)).toEqual(["committed", "committed"]);
    const lines = (await showFile(origin.bare, "main", RESULTS))!.split("\n").filter(Boolean).sort();
    expect(lines).toEqual(["from a", "from b"]);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0)).toBeGreaterThanOrEqual(2);
    expect(applied).toBeGreaterThanOrEqual(1);
  });

  test("concurrent runs adding to the pending ref never overwrite each other", async () => {
    const origin = await originWithWorkspace();
    const roots = await Promise.all([0, 1, 2, 3].map((i) => origin.clone(`p${i}`)));
    await Promise.all(roots.map((root, i) => publishCycle({ root, run: `p${i}`, now: () => new Date(T0 + i * 1000), sampleBatch: 60 * MIN, apply: cycle(`p${i}`) })));
    const pending = await fetchPending(roots[0]!, "origin");
    expect(pending.runs.map((run) => run.run).sort()).toEqual(["p0", "p1", "p2", "p3"]);
  });

  test("a cycle that fails leaves the tree as clean as it found it, waiting results included", async () => {
    const origin = await originWithWorkspace();
    await publishCycle({ root: await origin.clone("a"), run: "r0", now: () => new Date(T0), sampleBatch: 60 * MIN, apply: cycle("line 0") });
    const root = await origin.clone("b");
    const failing = publishCycle({
      root,
      run: "r1",
      now: () => new Date(T0 + MIN),
      sampleBatch: 60 * MIN,
      apply: async (tree) => {
        await cycle("line 1")(tree);
        throw new Error("disk full");
      },
    });
    await expect(failing).rejects.toThrow("disk full");
    expect(await git(root, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
  });

  test("only explicit paths are committed, and a dirty tree is refused", async () => {
    const origin = await originWithWorkspace();
    const root = await origin.clone("a");
    await writeFile(join(root, "notes.txt"), "an operator's scratch file");
    await expect(publishCycle({ root, run: "x", now: () => new Date(T0), sampleBatch: 0, apply: cycle("x", true, "x") })).rejects.toThrow(
      "The working tree has uncommitted changes (notes.txt); probe runs publish only from a clean tree.",
    );
    await git(root, ["clean", "-fdq"]);
    const outcome = await publishCycle({
      root,
      run: "x",
      now: () => new Date(T0),
      sampleBatch: 0,
      apply: async (tree) => {
        await writeFile(join(tree, "stray.txt"), "not part of the result");
        return cycle("x", true, "x")(tree);
      },
    });
    expect(outcome.mode).toBe("committed");
    expect(await showFile(origin.bare, "main", "stray.txt")).toBeUndefined();
    expect(await readFile(join(root, "stray.txt"), "utf8")).toBe("not part of the result");
  });
});
