/**
 * `npm run bench -- samples`: a year of 5-minute samples for 10 checks, appended by simulated probe runs
 * through the real store into a real git repository, committed in batches as the commit policy does
 * (at most every 60 minutes) with retention pruning, then packed by `git gc`. Reports the packed bytes
 * per sample: what a year of raw samples costs the repository's history.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Sample } from "../core/schema/records.ts";
import { listDayFiles } from "../store/ndjson.ts";
import { appendSamples, pruneSamples, RESULTS_DIR } from "../store/samples.ts";
import type { Bench } from "./bench.ts";
import { seededRandom } from "./random.ts";

const run = promisify(execFile);
const MINUTE = 60_000;
const DAY = 86_400_000;
const CADENCE = 5 * MINUTE;
const START = Date.parse("2025-01-01T00:00:00Z");

interface SimulatedCheck {
  id: string;
  baseMs: number;
  conditions: string[];
  https: boolean;
  metrics: boolean;
  outageLeft: number;
}

const CHECK_IDS = [
  "health-endpoint",
  "stripe-webhook-endpoint",
  "database-connectivity",
  "make-scenario",
  "better-auth-session",
  "members-api-contract",
  "booking-changed-delivery",
  "resend-api",
  "payment-webhooks-queue",
  "ai-decision-log",
];

function simulatedChecks(count: number, next: () => number): SimulatedCheck[] {
  return Array.from({ length: count }, (_, index) => ({
    id: CHECK_IDS[index % CHECK_IDS.length]! + (index >= CHECK_IDS.length ? `-${Math.floor(index / CHECK_IDS.length)}` : ""),
    baseMs: Math.round(40 + next() * 360),
    conditions: index === 0 ? ["[BODY].status == ok", "[RESPONSE_TIME] < 5000"] : index % 3 === 0 ? ["[STATUS] == 200", "[BODY].status == ok"] : [],
    https: index % 2 === 0,
    metrics: index % 5 === 4,
    outageLeft: 0,
  }));
}

/**
 * One probe outcome as the http and json check types record it (every condition with what it read, the
 * reasons in `error`): mostly up, sometimes slower than the objective, rarely down.
 */
function sampleOf(check: SimulatedCheck, at: number, runId: string, next: () => number): Sample {
  if (check.outageLeft === 0 && next() < 1 / 4_000) check.outageLeft = 2 + Math.floor(next() * 24);
  const down = check.outageLeft > 0;
  if (down) check.outageLeft -= 1;
  const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const latencyMs = Math.round(check.baseMs * Math.exp(0.25 * gaussian));
  const slow = !down && latencyMs > check.baseMs * 1.8;
  const sample: Sample = {
    at: new Date(at).toISOString(),
    check: check.id,
    region: "github",
    run: runId,
    state: down ? "down" : slow ? "degraded" : "up",
    latencyMs,
    status: down ? 503 : 200,
  };
  const objective = Math.round(check.baseMs * 1.8);
  if (down) sample.error = "[STATUS] == 200 ✗ got 503";
  else if (slow) sample.error = `slower than the ${objective} ms objective (${latencyMs} ms)`;
  if (check.conditions.length > 0) {
    const read: Record<string, string> = { "[STATUS] == 200": down ? "503" : "200", "[BODY].status == ok": down ? "unavailable" : "ok", "[RESPONSE_TIME] < 5000": String(latencyMs) };
    sample.conditions = check.conditions.map((text) => ({ text, ok: !(down && text !== "[RESPONSE_TIME] < 5000"), actual: read[text] }));
  }
  if (check.https) sample.certDaysLeft = 90 - (Math.floor((at - START) / DAY) % 60);
  if (check.metrics) sample.metrics = { queueDepth: Math.floor(next() * next() * 40), failedDeliveries: next() < 0.02 ? 1 : 0 };
  return sample;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
}

async function packBytes(repo: string): Promise<number> {
  const dir = join(repo, ".git/objects/pack");
  const names = (await readdir(dir)).filter((name) => name.endsWith(".pack"));
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(dir, name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

export const samples: Bench = {
  name: "samples",
  summary: "packed git bytes per sample for a year of 5-minute samples of 10 checks",
  async run({ terminal }) {
    const days = 365;
    const checkCount = 10;
    const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
    const repo = await mkdtemp(join(base, "signalroom-bench-samples-"));
    const started = performance.now();
    try {
      await git(repo, "init", "-q", "-b", "main");
      await git(repo, "config", "user.name", "signalroom-bench");
      await git(repo, "config", "user.email", "bench@signalroom.invalid");
      await git(repo, "config", "commit.gpgsign", "false");
      const next = seededRandom(20_260_101);
      const checks = simulatedChecks(checkCount, next);
      const runs = (days * DAY) / CADENCE;
      let written = 0;
      let commits = 0;
      let lastCommit = START;
      for (let index = 0; index < runs; index += 1) {
        const slot = START + index * CADENCE;
        // Scheduled runs start late by up to a minute; the checks of one run start within a few milliseconds.
        const runStart = slot + Math.floor(next() * MINUTE);
        const batch = checks.map((check) => sampleOf(check, runStart + Math.floor(next() * 15), `${1_000_000 + index}-1`, next));
        await appendSamples(repo, batch);
        written += batch.length;
        const now = slot + CADENCE;
        if (now - lastCommit >= 60 * MINUTE) {
          if (now % DAY === 0) await pruneSamples(repo, new Date(now - 30 * DAY));
          await git(repo, "add", "-A", RESULTS_DIR);
          await git(repo, "commit", "-q", "-m", `probe: samples until ${new Date(now).toISOString()}`);
          commits += 1;
          lastCommit = now;
          if (commits % 24 === 0) terminal.progress(`day ${commits / 24} of ${days}: ${written.toLocaleString("en")} samples, ${commits} commits`);
        }
      }
      terminal.progress("git gc…");
      await git(repo, "gc", "-q", "--prune=now");
      const packed = await packBytes(repo);
      const tree = await listDayFiles(repo, RESULTS_DIR);
      const treeBytes = (await Promise.all(tree.map(async ({ file }) => (await stat(join(repo, file))).size))).reduce((a, b) => a + b, 0);
      const figures = {
        days,
        checks: checkCount,
        samples: written,
        commits,
        bytes_per_sample_packed: Number((packed / written).toFixed(2)),
        pack_mib: Number((packed / 1_048_576).toFixed(2)),
        mib_per_check_year: Number((packed / checkCount / 1_048_576).toFixed(3)),
        raw_bytes_per_sample: Number((treeBytes / (tree.length * (DAY / CADENCE) * checkCount)).toFixed(1)),
        results_files: tree.length,
        wall_s: Number(((performance.now() - started) / 1000).toFixed(1)),
      };
      const number = (value: number) => value.toLocaleString("en");
      return {
        figures,
        lines: [
          `samples: ${days} days of 5-minute samples for ${checkCount} checks, committed at most hourly, pruned after 30 days, then git gc`,
          `  ${number(written)} samples in ${number(commits)} commits`,
          `  packed history    ${figures.pack_mib} MiB = ${figures.bytes_per_sample_packed} bytes per sample (target ≤ 10) ${figures.bytes_per_sample_packed <= 10 ? "✓" : "✗"}`,
          `  per check-year    ${figures.mib_per_check_year} MiB`,
          `  on disk           ${figures.raw_bytes_per_sample} bytes per sample in ${tree.length} retained results files`,
          `  wall time         ${figures.wall_s} s`,
        ],
      };
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  },
};
