/**
 * `npm run bench -- probe`: 1,000 HTTP checks against a loopback server that answers after 50 ms, run
 * by the real runner, against a bare undici loop at the same concurrency. The ratio is the runner's
 * whole overhead: a fresh, fully timed connection per attempt, redaction, conditions and the run log.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { systemClock } from "../core/clock.ts";
import { resolveCheck } from "../core/model.ts";
import { probeChecks } from "../probes/runner.ts";
import { check as checkSchema, configFile } from "../schemas.ts";
import type { Bench } from "./bench.ts";

const CHECKS = 1000;
const ANSWER_AFTER_MS = 50;
const WARM_UP = 50;
const TARGET_RATIO = 1.25;
const ROUNDS = 3;

async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
}

export const probe: Bench = {
  name: "probe",
  summary: `${CHECKS} HTTP checks against a loopback server answering after ${ANSWER_AFTER_MS} ms, against a bare undici loop`,
  async run({ terminal }) {
    const config = configFile.parse({ page: { title: "bench" }, lanes: [{ id: "bench" }] });
    const concurrency = config.probe.concurrency;
    const server = createServer((_, response) => {
      setTimeout(() => response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'), ANSWER_AFTER_MS);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const checks = (count: number) =>
        Array.from({ length: count }, (_, i) =>
          resolveCheck(checkSchema.parse({ id: `bench-${i}`, type: "http", url: `${origin}/item/${i}`, conditions: ["[STATUS] == 200", "[BODY].status == ok"] }), "bench", config.defaults),
        );
      const runner = async (count: number) => {
        const result = await probeChecks({
          checks: checks(count),
          env: {},
          clock: systemClock,
          region: "bench",
          runId: "bench",
          root: process.cwd(),
          concurrency,
          budgetMs: 600_000,
          onSample: (_, done, total) => terminal.progress(`signalroom runner: ${done}/${total}`),
        });
        const failed = result.samples.filter((sample) => sample.state !== "up");
        if (failed.length > 0) throw new Error(`the bench is not valid: ${failed.length} checks were not up (${failed[0]!.error})`);
      };
      const agent = new Agent();
      const bare = (count: number) =>
        pool(count, concurrency, async (i) => {
          const response = await request(`${origin}/item/${i}`, { dispatcher: agent });
          await response.body.text();
          if (i % 50 === 0) terminal.progress(`bare undici: ${i}/${count}`);
        });

      await bare(WARM_UP);
      await runner(WARM_UP);

      // The machine is shared: rounds alternate, and the best of each side is compared, which is the
      // least disturbed by whatever else runs.
      const walls = { runner: [] as number[], bare: [] as number[] };
      let peak = process.memoryUsage().rss;
      for (let round = 0; round < ROUNDS; round++) {
        let started = performance.now();
        await bare(CHECKS);
        walls.bare.push((performance.now() - started) / 1000);
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
        started = performance.now();
        await runner(CHECKS);
        walls.runner.push((performance.now() - started) / 1000);
        clearInterval(sampler);
      }
      await agent.close();
      const wall = Math.min(...walls.runner);
      const baseline = Math.min(...walls.bare);

      const round = (value: number, digits: number) => Number(value.toFixed(digits));
      const figures = {
        checks: CHECKS,
        concurrency,
        rounds: ROUNDS,
        answer_after_ms: ANSWER_AFTER_MS,
        wall_s: round(wall, 3),
        checks_per_s: round(CHECKS / wall, 1),
        baseline_wall_s: round(baseline, 3),
        ratio_to_undici: round(wall / baseline, 3),
        target_ratio: TARGET_RATIO,
        peak_rss_mb: round(peak / 1_048_576, 1),
      };
      return {
        figures,
        lines: [
          `probe bench: ${CHECKS} HTTP checks, concurrency ${concurrency}, loopback server answering after ${ANSWER_AFTER_MS} ms (best of ${ROUNDS} rounds)`,
          `  signalroom runner  ${figures.wall_s.toFixed(2)} s  ${figures.checks_per_s} checks/s  peak RSS ${figures.peak_rss_mb} MB`,
          `  bare undici loop   ${figures.baseline_wall_s.toFixed(2)} s  ${round(CHECKS / baseline, 1)} requests/s`,
          `  ratio              ${figures.ratio_to_undici.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${figures.ratio_to_undici <= TARGET_RATIO ? "met" : "missed"})`,
        ],
      };
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};
