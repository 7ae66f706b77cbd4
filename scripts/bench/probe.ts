/**
 * `npm run bench -- probe`: 1,000 HTTP checks against a loopback server that answers after 50 ms, run
 * by the real runner, against a bare undici loop at the same concurrency. Every check sends a bearer token
 * from the environment, as real checks do, so the ratio is the runner's whole overhead: a fresh, fully timed
 * connection per attempt, resolving and redacting secrets, conditions and the run log.
 * A second loop that also opens a connection per request shows how much of it is that one choice.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
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

/**
 * The target runs on its own thread, as a real one runs elsewhere: its work must not be billed to the
 * client being measured.
 */
const SERVER = `
const { createServer } = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const server = createServer((_, response) => {
  setTimeout(() => response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'), workerData.answerAfterMs);
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
parentPort.on("message", () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export const probe: Bench = {
  name: "probe",
  summary: `${CHECKS} HTTP checks against a loopback server answering after ${ANSWER_AFTER_MS} ms, against a bare undici loop`,
  async run({ terminal }) {
    const config = configFile.parse({ page: { title: "bench" }, lanes: [{ id: "bench" }] });
    const concurrency = config.probe.concurrency;
    const server = new Worker(SERVER, { eval: true, workerData: { answerAfterMs: ANSWER_AFTER_MS } });
    const [port] = (await once(server, "message")) as [number];
    const origin = `http://127.0.0.1:${port}`;
    const token = randomBytes(20).toString("hex");
    try {
      const checks = (count: number) =>
        Array.from({ length: count }, (_, i) =>
          resolveCheck(
            checkSchema.parse({ id: `bench-${i}`, type: "http", url: `${origin}/item/${i}`, headers: { authorization: "Bearer ${env:BENCH_TOKEN}" }, conditions: ["[STATUS] == 200", "[BODY].status == ok"] }),
            "bench",
            config.defaults,
          ),
        );
      const runner = async (count: number) => {
        const result = await probeChecks({
          checks: checks(count),
          env: { BENCH_TOKEN: token },
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
      const pooled = new Agent();
      const bare = (count: number, fresh: boolean) =>
        pool(count, concurrency, async (i) => {
          const dispatcher = fresh ? new Agent({ connections: 1 }) : pooled;
          const response = await request(`${origin}/item/${i}`, { dispatcher, headers: { authorization: `Bearer ${token}` } });
          await response.body.text();
          if (fresh) await dispatcher.close();
          if (i % 50 === 0) terminal.progress(`bare undici${fresh ? ", a connection each" : ""}: ${i}/${count}`);
        });

      await bare(WARM_UP, false);
      await bare(WARM_UP, true);
      await runner(WARM_UP);

      // The machine is shared: rounds alternate, and the best of each side is compared, which is the
      // least disturbed by whatever else runs.
      const walls = { runner: [] as number[], bare: [] as number[], fresh: [] as number[] };
      const timed = async (into: number[], work: () => Promise<void>) => {
        const started = performance.now();
        await work();
        into.push((performance.now() - started) / 1000);
      };
      let peak = process.memoryUsage().rss;
      for (let round = 0; round < ROUNDS; round++) {
        await timed(walls.bare, () => bare(CHECKS, false));
        await timed(walls.fresh, () => bare(CHECKS, true));
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
        await timed(walls.runner, () => runner(CHECKS));
        clearInterval(sampler);
      }
      await pooled.close();
      const [wall, baseline, fresh] = [Math.min(...walls.runner), Math.min(...walls.bare), Math.min(...walls.fresh)];
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
        fresh_connections_wall_s: round(fresh, 3),
        ratio_to_undici_fresh_connections: round(wall / fresh, 3),
        peak_rss_mb: round(peak / 1_048_576, 1),
      };
      return {
        figures,
        lines: [
          `  ${CHECKS} HTTP checks, concurrency ${concurrency}, a loopback server answering after ${ANSWER_AFTER_MS} ms, best of ${ROUNDS} rounds`,
          `  signalroom runner            ${wall.toFixed(2)} s  ${figures.checks_per_s} checks/s  peak RSS ${figures.peak_rss_mb} MB`,
          `  bare undici, pooled          ${baseline.toFixed(2)} s  ratio ${figures.ratio_to_undici.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${figures.ratio_to_undici <= TARGET_RATIO ? "met" : "missed"})`,
          `  bare undici, connection each ${fresh.toFixed(2)} s  ratio ${figures.ratio_to_undici_fresh_connections.toFixed(2)}`,
        ],
      };
    } finally {
      server.postMessage("stop");
      await once(server, "exit");
    }
  },
};
