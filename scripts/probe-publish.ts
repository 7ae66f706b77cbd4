/**
 * `npm run probe -- --push`: a probe cycle published through gitops (docs/github.md). The cycle runs
 * inside `publishCycle`, on the tree synced with the remote and with the waiting results applied, so the
 * due checks and the state are the newest. Checks are probed once; when the push loses a race, only the
 * recording half runs again on the winner's tree (with the configuration and incidents found there), and
 * what the first attempt already delivered is not sent again.
 */
import { cycleHeadline } from "./core/commit-policy.ts";
import { probeDue, recordCycle, type CycleOptions, type CycleResult, type Probed } from "./engine.ts";
import { publishCycle, PublishError, type PublishOutcome } from "./gitops/publish.ts";
import { loadWorkspace } from "./workspace.ts";

export interface PushSettings {
  remote?: string;
  branch?: string;
  /** Push attempts before the results are kept for the next run (default 6). */
  attempts?: number;
}

export interface PublishedCycle {
  result: CycleResult;
  /** How it was published; undefined when pushing failed for good (see `failure`). */
  outcome?: PublishOutcome;
  /** Pushing failed after every attempt; says where the results wait for the next run. */
  failure?: PublishError;
}

/** State changes, alert events, notifications and incident edits are committed at once; plain results wait. */
export function isUrgent(result: CycleResult): boolean {
  return result.transitions.length > 0 || result.alertEvents.length > 0 || result.deliveries.length > 0 || result.incidents.length > 0;
}

export function headlineOf(result: CycleResult): string | undefined {
  return cycleHeadline({
    transitions: result.transitions,
    alerts: result.alertEvents.map((event) => ({ rule: event.rule, type: event.type, step: event.type === "escalated" ? event.step : undefined })),
    incidents: result.incidents,
    notifications: result.deliveries.map((outcome) => ({ route: outcome.notification.route, ok: outcome.ok })),
  });
}

/**
 * Records the findings `gather` returns (probing happens there, once) and publishes the result. Used by
 * `probe --push` (gather probes the due checks) and `probe --merge DIR --push` (gather reads the shards).
 */
export async function publishRecorded(options: CycleOptions, gather: (options: CycleOptions) => Promise<Probed[]>, push: PushSettings = {}): Promise<PublishedCycle> {
  let parts: Probed[] | undefined;
  let result: CycleResult | undefined;
  const published = publishCycle({
    root: options.root,
    remote: push.remote,
    branch: push.branch,
    attempts: push.attempts,
    run: options.runId,
    now: () => options.clock.now(),
    sampleBatch: options.workspace.config.commit.sampleBatch,
    apply: async (tree) => {
      // The remote's configuration counts (an operator may have changed it since the job started); a broken one is not used.
      const workspace = (await loadWorkspace(tree)).workspace ?? options.workspace;
      const here = { ...options, root: tree, workspace };
      parts ??= await gather(here);
      result = await recordCycle(here, parts, { delivered: result?.state.outbox });
      return { paths: [...result.written, ...result.removed], urgent: isUrgent(result), headline: headlineOf(result) };
    },
  });
  try {
    const outcome = await published;
    return { result: result!, outcome };
  } catch (error) {
    if (error instanceof PublishError && result) return { result, failure: error };
    throw error;
  }
}

/** One probe cycle, published. */
export function publishProbeCycle(options: CycleOptions, push: PushSettings = {}): Promise<PublishedCycle> {
  return publishRecorded(options, async (here) => [await probeDue(here)], push);
}
