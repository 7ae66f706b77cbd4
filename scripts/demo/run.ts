/**
 * `npm run demo` and `npm start`: a simulated provider world on 127.0.0.1, 90 days of history produced by
 * the engine's own decisions under a simulated clock, the last minutes probed for real over HTTP and the
 * PostgreSQL protocol, and both sites built. docs/demo.md explains what the world does and why.
 */
import { manualClock } from "../core/clock.ts";
import type { Rollup } from "../core/schema/records.ts";
import { runProbeCycle } from "../engine.ts";
import { buildSite, type BuildOptions } from "../commands/build.ts";
import { deliverOutbox } from "../notify/deliver.ts";
import { recordHeartbeat } from "../store/heartbeats.ts";
import { writeIncident } from "../store/incidents.ts";
import { writeRollups } from "../store/rollups.ts";
import { appendSamples } from "../store/samples.ts";
import { writeState } from "../store/state.ts";
import type { Terminal } from "../terminal.ts";
import { loadWorkspace, type Workspace } from "../workspace.ts";
import { heartbeatSent } from "./behaviour.ts";
import { simulateHistory } from "./history.ts";
import { operatorDesk } from "./operators.ts";
import { startWorld } from "./servers.ts";
import { prepareWorkspace } from "./workspace.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const REGION = "demo";
const HEARTBEAT_CHECK = "ai-log-heartbeat";

export interface DemoOptions {
  repo: string;
  /** Where the demo's workspace (checks/, incidents/) is written; never the repository's own. */
  root: string;
  /** Where dist/public and dist/internal go. */
  out: string;
  terminal: Terminal;
  /** The demo's "now"; the current minute by default. */
  now: Date;
  days: number;
  /** The last minutes, probed for real. */
  liveMinutes: number;
}

export interface DemoReport {
  root: string;
  out: string;
  workspace: Workspace;
  ticks: number;
  samples: number;
  incidents: number;
  delivered: number;
  liveRuns: number;
  seconds: number;
}

async function loadValid(root: string): Promise<Workspace> {
  const { workspace, problems } = await loadWorkspace(root);
  if (!workspace) throw new Error(`the demo workspace is not valid:\n${problems.map((problem) => `${problem.file}:${problem.line} ${problem.message}`).join("\n")}`);
  return workspace;
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const { terminal, root } = options;
  const now = new Date(options.now.getTime() - (options.now.getTime() % MINUTE));
  const liveFrom = new Date(now.getTime() - options.liveMinutes * MINUTE);
  const from = new Date(Math.floor((now.getTime() - options.days * DAY) / DAY) * DAY);
  const clock = manualClock(from);
  const world = await startWorld(clock, now);
  try {
    terminal.progress("Preparing the demo workspace…");
    await prepareWorkspace(options.repo, root, world, now);
    const workspace = await loadValid(root);
    const env = { ...world.env, SIGNALROOM_REGION: REGION };
    const publicNames = new Map(workspace.providers.flatMap((provider) => (provider.public === false ? [] : [[provider.id, provider.public.name] as const])));
    const totalTicks = (now.getTime() - from.getTime()) / (5 * MINUTE);
    const history = await simulateHistory(
      {
        workspace,
        from,
        to: new Date(liveFrom.getTime() - MINUTE),
        fineFrom: new Date(Math.floor((now.getTime() - 4 * DAY) / DAY) * DAY),
        now,
        region: REGION,
        clock,
        operators: operatorDesk(now, publicNames, workspace.rules),
        deliver: async (outbox) => (await deliverOutbox(outbox, { config: workspace.config, env, clock, persist: async () => {} })).outbox,
        onProgress: (ticks) => terminal.progress(`Simulating ${options.days} days of history… ${Math.min(99, Math.round((ticks / totalTicks) * 100))} %`),
      },
      new Date(now.getTime() - workspace.config.retention.samples),
    );
    terminal.progress("Writing the history…");
    await writeHistory(root, workspace, history, now);
    const liveRuns = await probeForReal(root, clock, env, liveFrom, now, options.terminal);
    terminal.progress("Building both sites…");
    const build: BuildOptions = { repo: options.repo, root, out: options.out, now, url: undefined, basePath: "/", env: {} };
    await Promise.all([buildSite("public", build), buildSite("internal", build)]);
    terminal.clearProgress();
    const final = await loadValid(root);
    return {
      root,
      out: options.out,
      workspace: final,
      ticks: history.ticks,
      samples: history.samples.length,
      incidents: final.incidents.length,
      delivered: world.delivered.length,
      liveRuns,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await world.close();
  }
}

async function writeHistory(root: string, workspace: Workspace, history: Awaited<ReturnType<typeof simulateHistory>>, now: Date): Promise<void> {
  await appendSamples(root, history.samples);
  const hourlyFrom = now.getTime() - workspace.config.retention.hourly;
  for (const [check, rollups] of history.rollups) {
    const hourly = rollups.hourly.filter((rollup: Rollup) => Date.parse(rollup.start) >= hourlyFrom);
    await writeRollups(root, { check, hourly, daily: rollups.daily });
  }
  await writeState(root, history.state);
  const model = { ...workspace, incidents: history.incidents };
  for (const incident of history.incidents.filter((candidate) => history.edited.has(candidate.file))) await writeIncident(root, model, incident);
}

/** The last minutes: the real probe cycle, minute by minute, against the world's servers. */
async function probeForReal(root: string, clock: ReturnType<typeof manualClock>, env: NodeJS.ProcessEnv, from: Date, to: Date, terminal: Terminal): Promise<number> {
  let runs = 0;
  for (let at = from.getTime() - 5 * MINUTE; at < from.getTime(); at += MINUTE) {
    if (heartbeatSent(new Date(at), to)) await recordHeartbeat(root, HEARTBEAT_CHECK, new Date(at));
  }
  for (let at = from.getTime(); at <= to.getTime(); at += MINUTE) {
    const moment = new Date(at);
    clock.set(moment);
    if (heartbeatSent(moment, to)) await recordHeartbeat(root, HEARTBEAT_CHECK, moment);
    terminal.progress(`Probing the demo world for real: ${moment.toISOString().slice(11, 16)} UTC…`);
    const workspace = await loadValid(root);
    await runProbeCycle({ root, workspace, clock, env, region: REGION, runId: `demo-${moment.toISOString().slice(0, 16).replace(/[-:T]/g, "")}` });
    runs += 1;
  }
  return runs;
}
