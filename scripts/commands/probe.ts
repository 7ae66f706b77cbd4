import { parseDuration } from "../core/duration.ts";
import { regionFrom, runIdFrom, runProbeCycle, runProbeLoop, shardFrom, type CycleOptions, type CycleResult } from "../engine.ts";
import { downAnnotations, jobSummary, summaryLine, summaryRows, summaryTable } from "../probe-report.ts";
import { reportProblems, type Terminal } from "../terminal.ts";
import { loadWorkspace } from "../workspace.ts";
import { UserError, type Command } from "./command.ts";

function durationOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    const ms = parseDuration(String(value));
    if (ms > 0) return ms;
  } catch {
    // Reported below.
  }
  throw new UserError(`--${name} must be a duration such as 30s or 5m, not "${String(value)}".`);
}

async function report(terminal: Terminal, result: CycleResult): Promise<void> {
  const rows = summaryRows(result);
  if (rows.length > 0) for (const line of summaryTable(rows, terminal.paint)) terminal.out(line);
  terminal.out(summaryLine(result));
  for (const warning of result.warnings) terminal.annotate(warning);
  for (const annotation of downAnnotations(result)) terminal.annotate(annotation);
  await terminal.summary(jobSummary(result));
}

export const probe: Command = {
  name: "probe",
  summary: "Probe the checks that are due, write samples, state, rollups and the run log, and print a summary.",
  usage: "[--root DIR] [--once | --for 5m --every 30s]",
  options: { once: { type: "boolean" }, for: { type: "string" }, every: { type: "string" } },
  async run({ root, values, terminal, env, clock }) {
    const forMs = durationOption(values.for, "for");
    const everyMs = durationOption(values.every, "every");
    if (values.once && (forMs !== undefined || everyMs !== undefined)) throw new UserError("--once runs a single cycle: leave out --for and --every, or --once.");
    const { workspace, problems } = await loadWorkspace(root);
    reportProblems(terminal, problems);
    if (!workspace) throw new UserError("The workspace is not valid (see above); nothing was probed or written.");
    let options: CycleOptions;
    try {
      options = { root, workspace, clock, env, region: regionFrom(env), shard: shardFrom(env), runId: runIdFrom(env), terminal };
    } catch (error) {
      throw new UserError(`${(error as Error).message}.`);
    }
    try {
      if (forMs === undefined && everyMs === undefined) {
        await report(terminal, await runProbeCycle(options));
        return 0;
      }
      const stop = new AbortController();
      const onSignal = (name: string) => {
        terminal.err(`${name}: finishing the current cycle, then stopping.`);
        stop.abort();
      };
      const signals = ["SIGINT", "SIGTERM"] as const;
      const handlers = signals.map((name) => [name, () => onSignal(name)] as const);
      for (const [name, handler] of handlers) process.once(name, handler);
      try {
        const loop = { forMs: forMs ?? workspace.config.probe.for, everyMs: everyMs ?? workspace.config.probe.every, signal: stop.signal };
        const cycles = await runProbeLoop(options, { ...loop, onCycle: (result) => report(terminal, result) });
        terminal.out(`Stopped after ${cycles} cycle${cycles === 1 ? "" : "s"}.`);
      } finally {
        for (const [name, handler] of handlers) process.removeListener(name, handler);
      }
      return 0;
    } catch (error) {
      const message = `The probe run could not work: ${(error as Error).message}`;
      terminal.annotate({ severity: "error", file: "checks", path: [], message });
      throw new UserError(message);
    }
  },
};
