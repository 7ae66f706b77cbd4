import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { git } from "../../scripts/gitops/git.ts";
import { PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { publishCycle, type PublishOutcome } from "../../scripts/gitops/publish.ts";
import type { Sample } from "../../scripts/core/schema/records.ts";
import { splitFrontmatter } from "../../scripts/store/frontmatter.ts";
import { fromResultsLine, toSecond } from "../../scripts/store/samples.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { listFiles, originWithWorkspace, showFile } from "../helpers/git.ts";
import { probeOnce } from "../helpers/mini-cycle.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-16T10:00:00Z");

let healthy = true;
const target = createServer((_request, response) => response.writeHead(healthy ? 200 : 503).end(healthy ? "ok" : "down"));
let url = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/webhooks/stripe`;
});
afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

describe("end to end: racing probe runs, an operator's edit, a target going down and recovering", () => {
  test("exactly one incident with its updates, no lost sample, no lost operator edit, every push landed", async () => {
    const origin = await originWithWorkspace();
    const seen: Sample[] = [];
    const outcomes: PublishOutcome[] = [];
    // Two runners probe every 5 minutes at the same moments (two schedules overlapping), each from a fresh checkout.
    const tick = async (minute: number, runners = ["a", "b"]) => {
      const now = new Date(T0 + minute * MIN);
      const runs = await Promise.all(runners.map(async (runner) => ({ runner, ...(await probeOnce(url, `${runner}-${minute}`, now)) })));
      const results = await Promise.all(
        runs.map(async ({ runner, sample, apply }) => {
          seen.push(toSecond(sample));
          const root = await origin.clone(`${runner}-${minute}`);
          return publishCycle({ root, run: sample.run, now: () => now, sampleBatch: 60 * MIN, apply });
        }),
      );
      outcomes.push(...results);
    };

    for (const minute of [0, 5]) await tick(minute);
    healthy = false;
    for (const minute of [10, 15, 20]) await tick(minute);

    // The operator acknowledges in a pull request merged now: a third process pushing to main.
    const incidents = (await listFiles(origin.bare, "main", "incidents/")).filter((file) => file.endsWith(".md"));
    expect(incidents).toEqual(["incidents/2026-11-16-1010-stripe-webhook-down.md"]);
    const operator = await origin.clone("operator");
    const file = join(operator, incidents[0]!);
    const text = await readFile(file, "utf8");
    await writeFile(file, `${text.replace("\n---\n", "\ncommander: alice\nacknowledged: 2026-11-16T10:21:00Z\n---\n")}\nAlice: the payment provider confirms an outage on their side.\n`);
    await git(operator, ["commit", "--quiet", "-am", "Acknowledge the Stripe webhook outage"]);
    await git(operator, ["push", "--quiet", "origin", "HEAD:main"]);

    healthy = true;
    for (const minute of [25, 30, 35, 40, 45, 50, 55]) await tick(minute);
    // Later the batch is due: one racer absorbs, the other's result waits again; one more run absorbs that.
    await tick(120);
    await tick(200, ["a"]);

    expect(outcomes.every((outcome) => ["committed", "pending"].includes(outcome.mode))).toBe(true);
    expect(await listFiles(origin.bare, PENDING_BRANCH, "runs/")).toEqual([]);

    const results = (await listFiles(origin.bare, "main", "checks/results/")).filter((path) => path.endsWith(".ndjson"));
    const lines = (await Promise.all(results.map((path) => showFile(origin.bare, "main", path)))).join("").split("\n").filter(Boolean);
    const stored = lines.flatMap((line) => fromResultsLine(JSON.parse(line)));
    const byRun = (a: Sample, b: Sample) => a.at.localeCompare(b.at) || a.run.localeCompare(b.run);
    expect(stored.sort(byRun)).toEqual([...seen].sort(byRun)); // every sample, once

    const after = (await listFiles(origin.bare, "main", "incidents/")).filter((path) => path.endsWith(".md"));
    expect(after).toEqual(incidents);
    const final = (await showFile(origin.bare, "main", incidents[0]!))!;
    const check = await origin.clone("check");
    const { workspace, problems } = await loadWorkspace(check);
    expect(problems).toEqual([]);
    const incident = workspace!.incidents[0]!.frontmatter;
    expect(incident).toMatchObject({ status: "resolved", commander: "alice", acknowledged: "2026-11-16T10:21:00Z", started: "2026-11-16T10:10:00.000Z", automated: { blip: false } });
    expect(incident.updates.map((update) => update.status)).toEqual(["investigating", "monitoring", "resolved"]);
    expect(splitFrontmatter(final)!.body).toContain("Alice: the payment provider confirms an outage on their side.");

    const log = (await git(origin.bare, ["log", "--format=%s", "main"])).split("\n").filter(Boolean);
    expect(log.length).toBeLessThan(outcomes.length); // batching: fewer commits than runs
  });
});
