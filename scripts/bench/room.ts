/**
 * `npm run bench -- room`: the operations room at the scale of one runner's few hundred checks — 300
 * checks (60 providers) with 7 days of 5-minute samples from two regions (about 600,000 samples, the raw
 * window the room reads), live state and a week of run log — built into dist/internal. Reports build
 * time at 60 and 300 checks, pages, output size and the heaviest page.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { CheckState, LogEntry, Sample } from "../core/schema/records.ts";
import { buildSite } from "../commands/build.ts";
import { appendLog } from "../store/runlog.ts";
import { appendSamples } from "../store/samples.ts";
import { emptyState, writeState } from "../store/state.ts";
import type { Bench, BenchContext } from "./bench.ts";
import { seededRandom } from "./random.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const MINUTE = 60_000;
const DAY = 86_400_000;
const CADENCE = 5 * MINUTE;
const CHECKS_PER_PROVIDER = 5;
const LANES = ["payments", "webhook", "api", "identity", "messaging", "reporting", "infrastructure"];

async function writeRoomWorld(root: string, providers: number): Promise<{ checks: number; samples: number }> {
  const random = seededRandom(providers);
  await mkdir(join(root, "checks/providers"), { recursive: true });
  await mkdir(join(root, "incidents"), { recursive: true });
  await writeFile(join(root, "checks/signalroom.yaml"), stringify({ page: { title: "Bench" }, lanes: LANES.map((id) => ({ id })) }));
  await writeFile(join(root, "checks/alert-rules.yaml"), stringify({ rules: [] }));
  const state = emptyState(NOW);
  let written = 0;
  for (let p = 0; p < providers; p++) {
    const checks = Array.from({ length: CHECKS_PER_PROVIDER }, (_, c) => ({ id: `p${p}-c${c}`, type: "http", url: `https://example.com/${p}/${c}`, latencyObjective: "500ms" }));
    const provider = { id: `p${p}`, name: `Provider ${p}`, lane: LANES[p % LANES.length], owner: "Platform", kind: "api", readiness: "live", consumer: "Members", recovery: "Run the smoke test", evidence: { note: "Bench provider." }, checks };
    await writeFile(join(root, `checks/providers/p${p}.yaml`), stringify(provider));
    const samples: Sample[] = [];
    const log: LogEntry[] = [];
    for (const check of checks) {
      const trouble = random() < 0.1;
      for (let at = NOW.getTime() - 7 * DAY + CADENCE; at <= NOW.getTime(); at += CADENCE) {
        const roll = random();
        const state: Sample["state"] = trouble && roll < 0.2 ? "down" : roll < 0.05 ? "degraded" : roll < 0.051 ? "error" : "up";
        const region = at % (2 * CADENCE) === 0 ? "eu" : "us";
        const run = `run-${at / CADENCE}`;
        samples.push({ at: new Date(at).toISOString(), check: check.id, region, run, state, latencyMs: Math.round(80 + random() * (state === "degraded" ? 900 : 300)), status: state === "down" ? 503 : 200 });
        if (at > NOW.getTime() - DAY) log.push({ at: new Date(at).toISOString(), level: state === "down" ? "error" : "debug", service: "probe.http", message: `${state} in 120 ms`, run, check: check.id, provider: provider.id, requestId: `${check.id}-${at}`, durationMs: 120, context: {} });
      }
      const last = samples.at(-1)!;
      const checkState: CheckState = { status: last.state === "down" ? "down" : "up", since: last.at, lastSampleAt: last.at, lastLatencyMs: last.latencyMs, failStreak: 0, okStreak: 1, regions: {} };
      state.checks[check.id] = checkState;
    }
    await appendSamples(root, samples);
    await appendLog(root, log);
    written += samples.length;
  }
  state.lastRun = { id: "run-last", at: NOW.toISOString(), region: "eu", durationMs: 4000, checks: providers * CHECKS_PER_PROVIDER };
  await writeState(root, state);
  return { checks: providers * CHECKS_PER_PROVIDER, samples: written };
}

async function measure(context: BenchContext, providers: number) {
  const work = await mkdtemp(join(tmpdir(), "signalroom-bench-room-"));
  context.terminal.progress(`Writing ${providers * CHECKS_PER_PROVIDER} checks with 7 days of samples…`);
  const world = await writeRoomWorld(join(work, "workspace"), providers);
  context.terminal.progress(`Building the operations room (${world.checks} checks)…`);
  const build = await buildSite("internal", { repo: context.repo, root: join(work, "workspace"), out: join(work, "dist"), now: NOW, basePath: "/", env: context.env });
  const entries = await readdir(join(work, "dist/internal"), { recursive: true, withFileTypes: true });
  const pages = await Promise.all(entries.filter((entry) => entry.name.endsWith(".html")).map(async (entry) => ({ name: join(entry.parentPath, entry.name), size: (await stat(join(entry.parentPath, entry.name))).size })));
  const files = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size));
  const heaviest = pages.sort((a, b) => b.size - a.size)[0]!;
  const room = pages.find((page) => page.name === join(work, "dist/internal/index.html"))!;
  await rm(work, { recursive: true, force: true });
  return { ...world, seconds: build.ms / 1000, pages: pages.length, bytes: files.reduce((sum, size) => sum + size, 0), heaviest: { name: heaviest.name.slice(join(work, "dist/internal").length), size: heaviest.size }, room: room.size };
}

export const room: Bench = {
  name: "room",
  summary: "Build the operations room for 60 and 300 checks with 7 days of 5-minute samples; build time, pages and page weight.",
  async run(context) {
    const small = await measure(context, 12);
    const full = await measure(context, 60);
    context.terminal.clearProgress();
    const round = (value: number) => Number(value.toFixed(2));
    return {
      figures: {
        checks: full.checks,
        samples: full.samples,
        build_s_60_checks: round(small.seconds),
        build_s_300_checks: round(full.seconds),
        pages: full.pages,
        output_mb: round(full.bytes / 1_048_576),
        room_page_kb: round(full.room / 1024),
        heaviest_page_kb: round(full.heaviest.size / 1024),
        heaviest_page: full.heaviest.name,
      },
    };
  },
};
