/**
 * `npm run bench -- storage`: a simulated year of 50 checks at a 5-minute cadence, committed to a real
 * git repository by the real commit policy (scripts/core/commit-policy.ts): runs with a state change
 * commit at once and absorb the waiting results, plain runs wait until the oldest has waited
 * `commit.sampleBatch` (60m). Samples go through the real store (one NDJSON file per day and region),
 * raw samples older than the retention (30d) are pruned, and the repository is packed at the end.
 * Reports commits per day and packed MiB per check-year. Waiting results live on the pending ref and
 * become unreachable once absorbed, so they are not part of the history measured here.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { commitDue, commitMessage } from "../core/commit-policy.ts";
import type { Sample } from "../core/schema/records.ts";
import { appendSamples, RESULTS_DIR } from "../store/samples.ts";
import type { Bench } from "./bench.ts";
import { seededRandom } from "./random.ts";

const run = promisify(execFile);
const MINUTE = 60_000;
const DAY = 86_400_000;
const START = Date.parse("2025-01-01T00:00:00Z");

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

export const storage: Bench = {
  name: "storage",
  summary: "commits per day and packed MiB per check-year for a simulated year through the real commit policy",
  options: { days: { type: "string" }, checks: { type: "string" }, "outages-per-month": { type: "string" } },
  async run({ values, terminal }) {
    const days = Number(values.days ?? 365);
    const checks = Number(values.checks ?? 50);
    const outagesPerMonth = Number(values["outages-per-month"] ?? 1);
    const random = seededRandom(7);
    const dir = await mkdtemp(join(tmpdir(), "signalroom-bench-storage-"));
    try {
      await git(dir, "init", "--quiet", "--initial-branch=main");
      const ids = Array.from({ length: checks }, (_, i) => `check-${String(i).padStart(2, "0")}`);
      const down = new Map<string, number>(); // check → end of its outage
      const waiting: string[] = [];
      let commits = 0;
      const runs = (days * DAY) / (5 * MINUTE);
      for (let i = 0; i < runs; i++) {
        const now = new Date(START + i * 5 * MINUTE);
        const at = now.toISOString();
        let urgent = false;
        const samples: Sample[] = ids.map((check) => {
          const until = down.get(check);
          if (until !== undefined && until <= now.getTime()) {
            down.delete(check);
            urgent = true;
          } else if (until === undefined && random() < outagesPerMonth / (30 * 288)) {
            down.set(check, now.getTime() + (5 + random() * 40) * MINUTE);
            urgent = true;
          }
          const failing = down.has(check);
          return { at, check, region: "gh", run: `r${i}`, state: failing ? "down" : "up", latencyMs: Math.round(80 + random() * 120), status: failing ? 503 : 200 };
        });
        await appendSamples(dir, samples);
        await writeFile(join(dir, "checks/state.json"), `${JSON.stringify({ version: 1, updatedAt: at, down: [...down.keys()].sort() }, null, 1)}\n`);
        if (!commitDue({ urgent, pending: waiting, now, sampleBatch: 60 * MINUTE })) {
          waiting.push(at);
          continue;
        }
        // Retention: raw samples older than 30 days leave the tree (history keeps them, packed).
        const cutoff = new Date(now.getTime() - 30 * DAY).toISOString().slice(0, 10);
        for (const name of await readdir(join(dir, RESULTS_DIR))) if (name.slice(0, 10) < cutoff) await rm(join(dir, RESULTS_DIR, name));
        await git(dir, "add", "-A", "--", RESULTS_DIR, "checks/state.json");
        await git(dir, "commit", "--quiet", "-m", commitMessage(urgent ? "state change" : undefined, [...waiting, at]));
        commits += 1;
        waiting.length = 0;
        if (i % (7 * 288) === 0) {
          terminal.progress(`day ${Math.floor(i / 288)} of ${days}: ${commits} commits`);
          await git(dir, "repack", "-adq");
        }
      }
      await git(dir, "gc", "--quiet", "--aggressive", "--prune=now");
      const sizePack = /size-pack: (\d+)/.exec(await git(dir, "count-objects", "-v"))![1]!;
      const packedMiB = Number(sizePack) / 1024;
      return {
        figures: {
          days,
          checks,
          commits,
          commits_per_day: Math.round((commits / days) * 10) / 10,
          packed_mib: Math.round(packedMiB * 100) / 100,
          mib_per_check_year: Math.round(((packedMiB / checks) * (365 / days)) * 1000) / 1000,
          target_commits_per_day: 30,
          target_mib_per_check_year: 1,
        },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
