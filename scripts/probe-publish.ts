/**
 * `npm run probe -- --push`: a probe cycle published through gitops (docs/github.md). The cycle runs
 * inside `publishCycle`, on the tree synced with the remote and with the waiting results applied, so the
 * due checks and the state are the newest. Checks are probed once; when the push loses a race, only the
 * recording half runs again on the winner's tree (with the configuration and incidents found there).
 *
 * Notifications go out only after the outbox that lists them is on the remote, then their outcome is
 * published in a second commit. A job that dies between sending and that second push (Actions cancels it,
 * the runner is lost) therefore leaves the notifications queued on the remote, and the next job sends exactly
 * those again, with the same idempotency keys (docs/alerting.md lists what each channel makes of that).
 */
import { dueNotifications } from "./core/alerts/outbox.ts";
import { cycleHeadline } from "./core/commit-policy.ts";
import { deliverRecorded, probeDue, recordCycle, recordDeliveries, type CycleOptions, type CycleResult, type Delivered, type Probed } from "./engine.ts";
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

/** State changes, alert events, incident edits and notifications due are committed at once; plain results wait. */
export function isUrgent(result: CycleResult, now: Date): boolean {
  return result.transitions.length > 0 || result.alertEvents.length > 0 || result.incidents.length > 0 || dueNotifications(result.state.outbox, now).length > 0;
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
 * Records the findings `gather` returns (probing happens there, once) and publishes the result; then, when
 * notifications are due, delivers them and publishes their outcome. Used by `probe --push` (gather probes the
 * due checks) and `probe --merge DIR --push` (gather reads the shards).
 */
export async function publishRecorded(options: CycleOptions, gather: (options: CycleOptions) => Promise<Probed[]>, push: PushSettings = {}): Promise<PublishedCycle> {
  let parts: Probed[] | undefined;
  let result: CycleResult | undefined;
  // The remote's configuration counts (an operator may have changed it since the job started); a broken one is not used.
  const on = async (tree: string): Promise<CycleOptions> => ({ ...options, root: tree, workspace: (await loadWorkspace(tree)).workspace ?? options.workspace });
  const settings = { root: options.root, remote: push.remote, branch: push.branch, attempts: push.attempts, sampleBatch: options.workspace.config.commit.sampleBatch };
  const recordedAt = options.clock.now().getTime();
  let published: PublishedCycle;
  try {
    const outcome = await publishCycle({
      ...settings,
      run: options.runId,
      now: () => options.clock.now(),
      apply: async (tree) => {
        const here = await on(tree);
        parts ??= await gather(here);
        result = await recordCycle(here, parts, { deliver: false });
        return { paths: [...result.written, ...result.removed], urgent: isUrgent(result, options.clock.now()), headline: headlineOf(result) };
      },
    });
    published = { result: result!, outcome };
  } catch (error) {
    if (!(error instanceof PublishError && result)) throw error;
    published = { result, failure: error };
  }
  if (dueNotifications(published.result.state.outbox, options.clock.now()).length === 0) return published;

  // The outbox is on the remote (or, when pushing failed, kept where the next run applies it first): deliver now.
  let delivered: Delivered | undefined;
  const deliveries = publishCycle({
    ...settings,
    run: `${options.runId}-notify`,
    // Later than the cycle's own record, so a run that applies both applies them in that order.
    now: () => new Date(Math.max(options.clock.now().getTime(), recordedAt + 1)),
    apply: async (tree) => {
      const here = await on(tree);
      const paths = delivered ? await recordDeliveries(here, delivered) : (delivered = await deliverRecorded(here)).written;
      const notifications = delivered.outcomes.map((outcome) => ({ route: outcome.notification.route, ok: outcome.ok }));
      return { paths, urgent: true, headline: cycleHeadline({ transitions: [], alerts: [], incidents: [], notifications }) };
    },
  });
  const withDeliveries = (): CycleResult => ({ ...published.result, deliveries: delivered?.outcomes ?? [], state: { ...published.result.state, outbox: delivered?.outbox ?? published.result.state.outbox } });
  try {
    await deliveries;
    return { ...published, result: withDeliveries() };
  } catch (error) {
    if (!(error instanceof PublishError && delivered)) throw error;
    return { ...published, result: withDeliveries(), failure: published.failure ?? error };
  }
}

/** One probe cycle, published. */
export function publishProbeCycle(options: CycleOptions, push: PushSettings = {}): Promise<PublishedCycle> {
  return publishRecorded(options, async (here) => [await probeDue(here)], push);
}
