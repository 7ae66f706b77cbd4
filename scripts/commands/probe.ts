import { resolve } from "node:path";
import { parseDuration } from "../core/duration.ts";
import { issueFields } from "../core/topology.ts";
import { recordCycle, regionFrom, runIdFrom, runProbeCycle, runProbeLoop, shardFrom, type CycleOptions, type CycleResult } from "../engine.ts";
import { dispatcherOf, followMirror, mirrorOf, startWorkflow } from "../follow-up.ts";
import { createIncidentMirror } from "../gitops/incident-mirror.ts";
import { checkoutProblem } from "../gitops/publish.ts";
import { downAnnotations, jobSummary, publishLine, shardLine, summaryLine, summaryRows, summaryTable } from "../probe-report.ts";
import { publishProbeCycle, publishRecorded, type PublishedCycle } from "../probe-publish.ts";
import { probedOf, probeShard, shardCoverage, unrecorded } from "../probe-shards.ts";
import { readShardFiles } from "../store/shards.ts";
import { reportProblems, type Terminal } from "../terminal.ts";
import { guardCommit } from "../commit-guard.ts";
import { UserError, type Command, type CommandContext } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

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

/** The flags that cannot go together, each refused with what to do instead. */
function checkCombination(values: CommandContext["values"], forMs: number | undefined, everyMs: number | undefined, sharded: boolean): void {
  const loop = forMs !== undefined || everyMs !== undefined;
  if (values.once && loop) throw new UserError("--once runs a single cycle: leave out --for and --every, or --once.");
  if (values.out !== undefined) {
    if (values.push || values.merge !== undefined || loop) throw new UserError("--out writes one shard job's findings for the merge step: leave out --push, --merge, --for and --every.");
  } else if (sharded) {
    throw new UserError("A shard job only probes its part of the checks; alerting runs once when the shards are merged. Write its findings with --out DIR, then record them with --merge DIR.");
  }
  if (values.merge !== undefined && (loop || values.once)) throw new UserError("--merge records shard files once: leave out --once, --for and --every.");
  if (values.dispatch !== undefined && !values.push) throw new UserError("--dispatch starts a workflow after a commit landed, so it needs --push.");
}

async function report(terminal: Terminal, result: CycleResult, published?: PublishedCycle): Promise<void> {
  const rows = summaryRows(result);
  if (rows.length > 0) for (const line of summaryTable(rows, terminal.paint)) terminal.out(line);
  terminal.out(summaryLine(result));
  for (const warning of result.warnings) terminal.annotate(warning);
  for (const annotation of downAnnotations(result)) terminal.annotate(annotation);
  const publishing = published ? publishLine(published) : undefined;
  if (published?.failure) {
    terminal.err(terminal.paint.red(`✗ ${published.failure.message}`));
    terminal.annotate({ severity: "error", file: "checks/state.json", path: [], message: published.failure.message });
  } else if (publishing) terminal.out(publishing);
  await terminal.summary(jobSummary(result, publishing));
}

export const probe: Command = {
  name: "probe",
  summary: "Probe the checks that are due, write samples, state, rollups and the run log, and print a summary.",
  usage: [
    "[--once | --for 5m --every 30s] [--push [--dispatch WORKFLOW]] [--region NAME]",
    "    --shard 2/4 [--region NAME] --out DIR",
    "    --merge DIR [--push [--dispatch WORKFLOW]]",
    "",
    "  --push         commit and push what the run wrote: state changes and incident edits at once, plain",
    "                 results batched on the signalroom/pending branch (commit.sampleBatch)",
    "  --region NAME  region of the samples (default SIGNALROOM_REGION, else local)",
    "  --shard I/N    probe only part I of N of the checks (default SIGNALROOM_SHARD); needs --out",
    "  --out DIR      a shard job: probe only, write the findings to DIR/<region>.shard-<I>of<N>.json",
    "  --merge DIR    record every shard file under DIR: states with quorum across regions, alerts and incidents, once",
    "  --dispatch WORKFLOW  with --push, start this workflow (e.g. site.yml) after each commit that landed on main",
  ].join("\n"),
  options: {
    once: { type: "boolean" },
    for: { type: "string" },
    every: { type: "string" },
    push: { type: "boolean" },
    region: { type: "string" },
    shard: { type: "string" },
    out: { type: "string" },
    merge: { type: "string" },
    dispatch: { type: "string" },
  },
  async run({ root, values, terminal, env, clock }) {
    const forMs = durationOption(values.for, "for");
    const everyMs = durationOption(values.every, "every");
    const settings = { ...env, SIGNALROOM_REGION: (values.region as string | undefined) ?? env.SIGNALROOM_REGION, SIGNALROOM_SHARD: (values.shard as string | undefined) ?? env.SIGNALROOM_SHARD };
    const identity = () => {
      try {
        return { region: regionFrom(settings), shard: shardFrom(settings), runId: runIdFrom(env) };
      } catch (error) {
        // Name what the value came from: the flag when given, else the environment variable.
        const message = (error as Error).message.replace(/SIGNALROOM_(REGION|SHARD)/, (name, what: string) => (values[what.toLowerCase()] === undefined ? name : `--${what.toLowerCase()}`));
        throw new UserError(`${message}.`);
      }
    };
    const { region, shard, runId } = identity();
    checkCombination(values, forMs, everyMs, shard !== undefined);
    if (values.push) {
      const problem = await checkoutProblem(root);
      if (problem) throw new UserError(`--push ${problem}.`);
    }
    const workspace = await validWorkspace(root, terminal, "nothing was probed or written", { stored: true });
    if (values.push) await guardCommit(terminal, workspace.config.deploy, env);
    const options: CycleOptions = { root, workspace, clock, env, region, shard, runId, terminal };
    const mirror = values.push ? mirrorOf(terminal, createIncidentMirror(workspace.config.incidents.mirror, env, issueFields(workspace.config.deploy))) : undefined;
    const site = typeof values.dispatch === "string" ? dispatcherOf(terminal, values.dispatch, env) : undefined;
    // Issues and the site follow what landed: after a published cycle, never after one whose push failed.
    const publish = async (published: PublishedCycle) => {
      await report(terminal, published.result, published);
      if (published.failure) return 1;
      if (mirror) await followMirror(terminal, mirror, root, () => clock.now(), true);
      if (site && published.outcome?.mode === "committed") await startWorkflow(terminal, site);
      return 0;
    };

    try {
      if (typeof values.out === "string") {
        const { file, probed } = await probeShard(options, values.out);
        terminal.out(shardLine(probed, file));
        return 0;
      }
      if (typeof values.merge === "string") return await merge(options, values.merge, values.push ? publish : undefined, terminal);

      let failed = false;
      const cycle = async (cycleOptions: CycleOptions) => {
        if (!values.push) return report(terminal, await runProbeCycle(cycleOptions));
        failed = (await publish(await publishProbeCycle(cycleOptions))) !== 0;
      };
      if (forMs === undefined && everyMs === undefined) {
        await cycle(options);
        return failed ? 1 : 0;
      }
      const stop = new AbortController();
      const onSignal = (name: string) => {
        terminal.err(`${name}: finishing the current cycle, then stopping.`);
        stop.abort();
      };
      const handlers = (["SIGINT", "SIGTERM"] as const).map((name) => [name, () => onSignal(name)] as const);
      for (const [name, handler] of handlers) process.once(name, handler);
      try {
        const loop = { forMs: forMs ?? workspace.config.probe.for, everyMs: everyMs ?? workspace.config.probe.every, signal: stop.signal, cycle };
        const cycles = await runProbeLoop(options, loop);
        terminal.out(`Stopped after ${cycles} cycle${cycles === 1 ? "" : "s"}.`);
      } finally {
        for (const [name, handler] of handlers) process.removeListener(name, handler);
      }
      // A failed push is made good by a later cycle of the same job; only the last one decides.
      return failed ? 1 : 0;
    } catch (error) {
      if (error instanceof UserError) throw error;
      const message = `The probe run could not work: ${(error as Error).message}`;
      terminal.annotate({ severity: "error", file: "checks", path: [], message });
      throw new UserError(message);
    }
  },
};

/** `--merge DIR`: refuses shard files that do not fit (nothing recorded), warns about missing shards, records once. */
async function merge(options: CycleOptions, dir: string, publish: ((published: PublishedCycle) => Promise<number>) | undefined, terminal: Terminal): Promise<number> {
  let read;
  try {
    read = await readShardFiles(resolve(dir), dir);
  } catch (error) {
    throw new UserError(`Cannot read the shard files in ${dir}: ${(error as Error).message}.`);
  }
  reportProblems(terminal, read.problems);
  if (read.problems.length > 0) throw new UserError(`${read.problems.length} shard file problem${read.problems.length === 1 ? "" : "s"} (see above); nothing was recorded.`);
  if (read.shards.length === 0) throw new UserError(`No shard files in ${dir}: every shard job failed, or --merge names the wrong folder. Nothing was recorded.`);
  const coverage = shardCoverage(read.shards);
  if (coverage.conflicts.length > 0) throw new UserError(`The shard files cannot be merged: ${coverage.conflicts.join("; ")}. Nothing was recorded.`);
  for (const missing of coverage.missing) {
    const message = `No findings from ${missing}: its checks were not probed this round.`;
    terminal.err(terminal.paint.yellow(`warning: ${message}`));
    terminal.annotate({ severity: "warning", file: dir, path: [], message });
  }
  const parts = read.shards.map(probedOf);
  terminal.out(`Merging ${read.shards.length} shard file${read.shards.length === 1 ? "" : "s"} (${parts.reduce((sum, part) => sum + part.samples.length, 0)} samples).`);
  if (!publish) {
    await report(terminal, await recordCycle(options, await unrecorded(options.root, parts)));
    return 0;
  }
  return publish(await publishRecorded(options, (here) => unrecorded(here.root, parts)));
}
