/**
 * What follows a commit that landed on main, said on the terminal: the issue mirror catches up with the
 * incident files, and the site workflow is started (pushes made with GITHUB_TOKEN start no workflow by
 * themselves). Neither ever fails the run: a failure is a warning and the next commit tries again.
 */
import { workflowDispatcher, type Dispatcher } from "./gitops/dispatch.ts";
import type { IncidentMirror, MirrorReport, NoMirror } from "./gitops/incident-mirror.ts";
import { mirrorIncidents, recordIssues } from "./issue-mirror.ts";
import type { Terminal } from "./terminal.ts";

/** The mirror, or undefined with a warning when it is on but cannot run here (no token); silent when it is off. */
export function mirrorOf(terminal: Terminal, mirror: IncidentMirror | NoMirror): IncidentMirror | undefined {
  if (!("reason" in mirror)) return mirror;
  if (!mirror.off) terminal.err(terminal.paint.yellow(`warning: ${mirror.reason}; incidents are not mirrored by this run`));
  return undefined;
}

/** Prints what the mirror did; failures are warnings (the next sync retries them), annotated in Actions. */
export function printMirror(terminal: Terminal, report: MirrorReport): void {
  for (const change of report.changes) terminal.out(`Issue mirror: ${change}`);
  for (const failure of report.failures) {
    terminal.err(terminal.paint.yellow(`warning: issue mirror: ${failure}; retried on the next sync`));
    terminal.annotate({ severity: "warning", file: "incidents", path: [], message: `Issue mirror: ${failure}` });
  }
}

/**
 * The mirror catches up with the incident files in `root`, then the issues it opened are recorded in their
 * incident files (`issue:`): committed at once with `push`, else left for the person to commit. A failed
 * record is a warning; the next sync finds the issue by its marker and records it again.
 */
export async function followMirror(terminal: Terminal, mirror: IncidentMirror, root: string, now: () => Date, push: boolean): Promise<MirrorReport> {
  const report = await mirrorIncidents(mirror, root, now());
  printMirror(terminal, report);
  if (report.unrecorded.length === 0) return report;
  const list = report.unrecorded.map(({ incident, issue }) => `#${issue} in incidents/${incident}.md`).join(", ");
  try {
    const outcome = await recordIssues(root, report.unrecorded, { push, now });
    terminal.out(`Issue mirror: recorded ${list}${outcome?.commit ? ` (commit ${outcome.commit.slice(0, 7)})` : push ? "" : "; commit the change"}.`);
  } catch (error) {
    printMirror(terminal, { changes: [], failures: [`recording ${list}: ${(error as Error).message}`], unrecorded: [] });
  }
  return report;
}

/** The dispatcher for `workflow`, or undefined after saying why there is none (a local run without a token). */
export function dispatcherOf(terminal: Terminal, workflow: string, env: NodeJS.ProcessEnv): Dispatcher | undefined {
  const dispatcher = workflowDispatcher(workflow, env);
  if (!("reason" in dispatcher)) return dispatcher;
  terminal.err(terminal.paint.yellow(`warning: ${dispatcher.reason}; it is not started by this run`));
  return undefined;
}

/** Starts the workflow on `ref` and says so; a failure is a warning. */
export async function startWorkflow(terminal: Terminal, dispatcher: Dispatcher, ref = "main"): Promise<void> {
  const outcome = await dispatcher.dispatch(ref);
  if (outcome.ok) {
    terminal.out(`Started ${dispatcher.workflow} on ${ref}, so the sites show this commit.`);
    return;
  }
  terminal.err(terminal.paint.yellow(`warning: ${outcome.message}`));
  terminal.annotate({ severity: "warning", file: ".github/workflows", path: [], message: outcome.message });
}
