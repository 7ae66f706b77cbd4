import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { stateFile } from "../../scripts/core/schema/records.ts";
import { git } from "../../scripts/gitops/git.ts";
import { PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { fromResultsLine } from "../../scripts/store/samples.ts";
import { splitFrontmatter } from "../../scripts/store/frontmatter.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { runCli } from "../helpers/cli.ts";
import { listFiles, showFile } from "../helpers/git.ts";
import { CHECK, outageWorld, RULE } from "../helpers/outage.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-16T10:00:00Z");
const NOTE = "Alice: the payment provider confirms an outage on their side.";

describe("end to end on the real engine: racing probe runs, an operator's edit, a target going down and recovering", () => {
  test("exactly one incident with its updates, no lost sample, no lost operator edit, every push landed", async () => {
    // The real probe command with the real alerting and incident steps; 2 failures confirm an outage, 2 passes its end.
    const { origin, target } = await outageWorld({
      check: { cadence: "5m", failureThreshold: 2, recoveryThreshold: 2 },
      rule: { condition: { type: "state", state: "down", for: 2 } },
      delayMs: 400,
    });
    const runs: { code: number; stdout: string; stderr: string }[] = [];
    // Two runners probe on every tick, each from a fresh checkout (an Actions job); both have fetched main
    // before either pushes, since the target takes a moment to answer.
    const tick = async (minute: number, runners = ["a", "b"]) => {
      const checkouts = await Promise.all(runners.map((runner) => origin.clone(`${runner}-${minute}`)));
      const results = await Promise.all(
        runners.map((runner, index) => {
          const clock = manualClock(new Date(T0 + minute * MIN + index * 20_000).toISOString());
          return runCli(["probe", "--root", checkouts[index]!, "--push"], { GITHUB_RUN_ID: `${runner}${minute}`, GITHUB_RUN_ATTEMPT: "1" }, { clock });
        }),
      );
      runs.push(...results);
    };

    for (const minute of [0, 5]) await tick(minute);
    target.healthy = false;
    for (const minute of [10, 15, 20]) await tick(minute);

    const incidents = (await listFiles(origin.bare, "main", "incidents/")).filter((file) => file.endsWith(".md"));
    expect(incidents).toEqual([`incidents/2026-11-16-1010-${RULE}.md`]);

    // The target recovers. While the next probe runs publish, an operator acknowledges and adds to the
    // narrative, and pushes from a third checkout: their push and the probe runs' race for main.
    target.healthy = true;
    const operator = async () => {
      // A pull request merged by a person: their edit is pushed by git, in its own processes. Like a person
      // whose push was rejected, they start again from the newest main and redo the edit.
      for (let attempt = 1; ; attempt++) {
        const checkout = await origin.clone(`operator-${attempt}`);
        const file = join(checkout, incidents[0]!);
        const text = await readFile(file, "utf8");
        await writeFile(file, text.replace("\n---\n", "\ncommander: alice\nacknowledged: 2026-11-16T10:21:00Z\n---\n").replace("## Timeline", `${NOTE}\n\n## Timeline`));
        await git(checkout, ["commit", "--quiet", "-am", "Acknowledge the members outage"]);
        if (await git(checkout, ["push", "--quiet", "origin", "HEAD:main"]).then(() => true, () => false)) return attempt;
        if (attempt >= 5) throw new Error("the operator's push never landed");
      }
    };
    await Promise.all([tick(25), operator()]);
    for (const minute of [30, 35, 40, 45, 50]) await tick(minute);
    // Much later the batch is due: one racer absorbs, the other's result waits again; one more run absorbs that.
    await tick(120);
    await tick(200, ["a"]);

    // Every push landed: no run failed, and nothing waits on the pending ref.
    expect(runs.map((run) => [run.code, run.stderr])).toEqual(runs.map(() => [0, ""]));
    expect(runs.every((run) => /^Published: (committed|waiting on the pending ref)/m.test(run.stdout))).toBe(true);
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toEqual([]);
    // The races were real: some runs lost a push and were recorded again on the winner's tree.
    expect(runs.filter((run) => /re-applied on the newer remote/.test(run.stdout)).length).toBeGreaterThanOrEqual(1);

    // No lost sample: every request the target answered is one sample on main, none twice.
    const results = (await listFiles(origin.bare, "main", "checks/results/")).filter((path) => path.endsWith(".ndjson"));
    const lines = (await Promise.all(results.map((path) => showFile(origin.bare, "main", path)))).join("").split("\n").filter(Boolean);
    const stored = lines.flatMap((line) => fromResultsLine(JSON.parse(line)));
    expect(stored).toHaveLength(target.requests.length);
    expect(new Set(stored.map((sample) => `${sample.run} ${sample.at}`)).size).toBe(stored.length);
    expect(stored.filter((sample) => sample.state === "down")).toHaveLength(6);

    // Exactly one incident, with its updates, and the operator's edit kept.
    expect((await listFiles(origin.bare, "main", "incidents/")).filter((path) => path.endsWith(".md"))).toEqual(incidents);
    const check = await origin.clone("check");
    const { workspace, problems } = await loadWorkspace(check);
    expect(problems).toEqual([]);
    const incident = workspace!.incidents[0]!.frontmatter;
    expect(incident).toMatchObject({ status: "resolved", commander: "alice", acknowledged: "2026-11-16T10:21:00Z", started: "2026-11-16T10:10:00.000Z", automated: { rule: RULE, blip: false } });
    expect(incident.updates.map((update) => update.status)).toEqual(["investigating", "monitoring", "resolved"]);
    const body = splitFrontmatter((await showFile(origin.bare, "main", incidents[0]!))!)!.body;
    expect(body).toContain(NOTE);
    expect(body).toMatch(new RegExp(`Check \`${CHECK}\` is down \\(was up\\)`));
    expect(body).toMatch(new RegExp(`Check \`${CHECK}\` is up \\(was down\\)`));

    const state = stateFile.parse(JSON.parse((await showFile(origin.bare, "main", "checks/state.json"))!));
    expect(state.checks[CHECK]!.status).toBe("up");
    expect(state.alerts[RULE]!.state).toBe("ok");
    const commits = Number((await git(origin.bare, ["rev-list", "--count", "main"])).trim());
    expect(commits).toBeLessThan(runs.length); // plain results were batched
  });
});
