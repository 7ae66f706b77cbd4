import { resolve } from "node:path";
import { acknowledge, targetsOf } from "../core/alerts/evaluate.ts";
import { planNotifications, testNotification } from "../core/alerts/plan.ts";
import { requeue } from "../core/alerts/outbox.ts";
import { historyOf, replay } from "../core/alerts/replay.ts";
import { timelineLines } from "../core/alerts/timeline.ts";
import type { Notification } from "../core/schema/records.ts";
import { deliverOutbox, sendNotification } from "../notify/deliver.ts";
import { withWorkspaceLock } from "../store/lock.ts";
import { writeAlerting } from "../store/outbox.ts";
import { readState } from "../store/state.ts";
import { readTrace, TraceError } from "../store/trace.ts";
import type { Terminal } from "../terminal.ts";
import { UserError, type Command, type CommandContext } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function sendTest({ root, values, terminal, env, clock }: CommandContext): Promise<number> {
  const workspace = await validWorkspace(root, terminal, "nothing was done", { stored: true });
  const id = values.route;
  if (typeof id !== "string") throw new UserError("Name the route to test: npm run alert -- test --route NAME.");
  const route = workspace.config.routes.find((candidate) => candidate.id === id);
  if (!route) throw new UserError(`Unknown route "${id}" (routes: ${workspace.config.routes.map((candidate) => candidate.id).join(", ") || "none"}).`);
  terminal.progress(`Sending a test through ${id} (${route.channel})…`);
  const started = Date.now();
  try {
    await sendNotification(testNotification(id, clock.now()), route, { env, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    terminal.err(terminal.paint.red(`✗ ${(error as Error).message}`));
    return 1;
  }
  terminal.out(
    `${terminal.paint.green("✓")} ${route.channel} accepted the test for route ${id} in ${Date.now() - started} ms. Check that it arrived and reads well.`,
  );
  return 0;
}

async function simulate({ root, values, terminal }: CommandContext): Promise<number> {
  const workspace = await validWorkspace(root, terminal, "nothing was done", { stored: true });
  if (typeof values.trace !== "string") throw new UserError("Name the trace to replay: npm run alert -- simulate --trace FILE.");
  let samples;
  try {
    samples = await readTrace(resolve(values.trace));
  } catch (error) {
    if (error instanceof TraceError) throw new UserError(error.message);
    throw error;
  }
  const checks = new Set(samples.map((sample) => sample.check));
  // Rules about checks the trace says nothing of would only report their silence.
  const rules = workspace.rules.filter((rule) => targetsOf(rule, workspace.providers).some((target) => checks.has(target.id)));
  const watched = new Set(rules.flatMap((rule) => targetsOf(rule, workspace.providers).map((target) => target.id)));
  const unknown = [...checks].filter((check) => !workspace.providers.some((provider) => provider.checks.some((c) => c.id === check)));
  terminal.out(
    `Replaying ${plural(samples.length, "sample")} of ${plural(checks.size, "check")} from ${samples[0]!.at.slice(0, 16)} to ${samples.at(-1)!.at.slice(0, 16)} (UTC) through the ${plural(rules.length, "rule")} that watch them.`,
  );
  if (unknown.length) terminal.out(terminal.paint.yellow(`Not in the configuration, ignored: ${unknown.join(", ")}.`));
  const unwatched = [...checks].filter((check) => !unknown.includes(check) && !watched.has(check));
  if (unwatched.length) terminal.out(terminal.paint.dim(`No rule watches: ${unwatched.join(", ")}.`));
  terminal.out();
  const cadence = Math.min(...workspace.providers.flatMap((provider) => provider.checks.map((check) => check.cadence)), 300_000);
  const history = historyOf(samples, cadence);
  let fired = 0;
  let notifications = 0;
  let last;
  for (const step of replay({
    rules,
    config: workspace.config,
    providers: workspace.providers,
    routes: workspace.config.routes,
    incidents: workspace.incidents,
    samples,
    history,
  })) {
    for (const line of timelineLines(step, workspace.config.routes)) terminal.out(line);
    fired += step.events.filter((event) => event.type === "fired").length;
    notifications += step.notifications.length;
    last = step;
  }
  const firing = Object.entries(last?.alerts ?? {})
    .filter(([, state]) => state.state === "firing")
    .map(([rule]) => rule);
  terminal.out();
  terminal.out(
    `${fired === 0 ? "Nothing fired." : `${plural(fired, "alert")} fired`}${firing.length ? `; still firing at the end: ${firing.join(", ")}` : ""}. ${plural(notifications, "notification")} would have been sent.`,
  );
  return 0;
}

async function ack({ root, positionals, values, terminal, clock }: CommandContext): Promise<number> {
  const workspace = await validWorkspace(root, terminal, "nothing was done", { stored: true });
  const id = positionals[1];
  if (!id) throw new UserError("Name the rule to acknowledge: npm run alert -- ack RULE.");
  const rule = workspace.rules.find((candidate) => candidate.id === id);
  if (!rule) throw new UserError(`Unknown rule "${id}" (rules: ${workspace.rules.map((candidate) => candidate.id).join(", ")}).`);
  const now = clock.now();
  return withWorkspaceLock(root, async () => {
    const state = await readState(root, now);
    const current = state.alerts[id];
    if (!current || current.state !== "firing") throw new UserError(`The rule ${id} is not firing; there is nothing to acknowledge.`);
    if (current.acknowledgedAt)
      throw new UserError(
        `The rule ${id} was already acknowledged at ${current.acknowledgedAt}${current.acknowledgedBy ? ` by ${current.acknowledgedBy}` : ""}.`,
      );
    const by = typeof values.by === "string" ? values.by : undefined;
    const providers = [...new Set(targetsOf(rule, workspace.providers).map((target) => target.provider))];
    const { state: acknowledged, event } = acknowledge(current, id, current.raisedTo ?? rule.severity, now, by, providers);
    const alerts = { ...state.alerts, [id]: acknowledged };
    const outbox = planNotifications({
      now,
      events: event ? [event] : [],
      rules: workspace.rules,
      providers: workspace.providers,
      routes: workspace.config.routes,
      alerts,
      outbox: state.outbox,
    });
    await writeAlerting(root, now, { outbox, alerts });
    const queued = outbox.length - state.outbox.length;
    terminal.out(`${terminal.paint.green("✓")} Acknowledged ${id}${by ? ` for ${by}` : ""}: escalation stops and reminders pause.`);
    terminal.out(
      `${plural(Math.max(0, queued), "notification")} queued for ${acknowledged.notifiedRoutes.join(", ") || "nobody"}; the next probe run (or \`npm run alert -- deliver\`) sends them. Commit checks/state.json to share the acknowledgement.`,
    );
    return 0;
  });
}

const REASON = { rejected: "refused for good", expired: "undeliverable for three days", "route-removed": "route removed" } as const;

function deadLetterNote(entry: Notification): string {
  const failure = entry.failure;
  if (!failure) return "given up";
  return `${REASON[failure.reason]}, ${failure.announcedVia ? `announced via ${failure.announcedVia}` : "not announced"}; resend with npm run alert -- retry ${entry.key}`;
}

function reportOutcomes(terminal: Terminal, outcomes: Awaited<ReturnType<typeof deliverOutbox>>["outcomes"]): void {
  for (const outcome of outcomes) {
    const line = `${outcome.notification.route}: ${outcome.notification.title}`;
    if (outcome.ok) terminal.out(`${terminal.paint.green("✓")} ${line}`);
    else
      terminal.err(
        terminal.paint.yellow(
          `✗ ${line}: ${outcome.error}${outcome.notification.nextAttemptAt ? ` (retry after ${outcome.notification.nextAttemptAt})` : ` (dead letter: ${deadLetterNote(outcome.notification)})`}`,
        ),
      );
  }
}

async function deliver({ root, terminal, env, clock }: CommandContext): Promise<number> {
  const workspace = await validWorkspace(root, terminal, "nothing was done", { stored: true });
  // The lock keeps a probe run on the same folder from writing the state file at the same time.
  const report = await withWorkspaceLock(root, async () =>
    deliverOutbox((await readState(root, clock.now())).outbox, {
      config: workspace.config,
      env,
      clock,
      persist: (outbox) => writeAlerting(root, clock.now(), { outbox }),
    }),
  );
  reportOutcomes(terminal, report.outcomes);
  const waiting = report.outbox.filter((entry) => entry.status !== "sent" && entry.status !== "failed").length;
  terminal.out(
    `${plural(report.outcomes.filter((o) => o.ok).length, "notification")} sent, ${plural(report.outcomes.filter((o) => !o.ok).length, "failure")}, ${waiting} waiting.`,
  );
  return 0;
}

async function status({ root, terminal, clock }: CommandContext): Promise<number> {
  const state = await readState(root, clock.now());
  const alerts = Object.entries(state.alerts);
  if (alerts.length === 0) terminal.out("No alert state yet: no probe run has evaluated the rules.");
  for (const [rule, alert] of alerts.sort(([a], [b]) => a.localeCompare(b))) {
    const mark = alert.state === "firing" ? terminal.paint.red("● firing") : terminal.paint.green("○ ok    ");
    const notes = [
      alert.muted && `muted: ${alert.muted}`,
      alert.acknowledgedAt && `acknowledged ${alert.acknowledgedAt}`,
      alert.raisedTo && `raised to ${alert.raisedTo}`,
    ].filter(Boolean);
    terminal.out(`${mark} ${rule} since ${alert.since}${alert.detail ? ` — ${alert.detail}` : ""}${notes.length ? ` (${notes.join("; ")})` : ""}`);
  }
  const counts = new Map<string, number>();
  for (const entry of state.outbox) counts.set(entry.status, (counts.get(entry.status) ?? 0) + 1);
  terminal.out(`Outbox: ${[...counts].map(([name, count]) => `${count} ${name}`).join(", ") || "empty"}.`);
  for (const entry of state.outbox.filter((candidate) => candidate.status === "failed")) {
    terminal.out(terminal.paint.yellow(`✗ dead letter to ${entry.route}: ${entry.title}: ${entry.lastError ?? "no error recorded"} (${deadLetterNote(entry)})`));
  }
  return 0;
}

async function retry({ root, positionals, terminal, clock }: CommandContext): Promise<number> {
  const key = positionals[1];
  if (!key) throw new UserError("Name the dead letter to send again: npm run alert -- retry KEY (npm run alert -- status lists them).");
  const now = clock.now();
  return withWorkspaceLock(root, async () => {
    const state = await readState(root, now);
    const entry = state.outbox.find((candidate) => candidate.key === key);
    if (!entry || entry.status !== "failed") {
      const dead = state.outbox.filter((candidate) => candidate.status === "failed").map((candidate) => candidate.key);
      throw new UserError(`"${key}" is not a dead letter in checks/state.json (dead letters: ${dead.join(", ") || "none"}).`);
    }
    await writeAlerting(root, now, { outbox: state.outbox.map((candidate) => (candidate.key === key ? requeue(candidate) : candidate)) });
    terminal.out(`${terminal.paint.green("✓")} Queued ${key} for ${entry.route} again; the next probe run (or \`npm run alert -- deliver\`) sends it. Commit checks/state.json to share it.`);
    return 0;
  });
}

const ACTIONS: Record<string, (context: CommandContext) => Promise<number>> = { test: sendTest, simulate, ack, deliver, status, retry };

export const alert: Command = {
  name: "alert",
  summary: "Test a route, replay a trace through the rules, acknowledge an alert, deliver the outbox, show alert state, resend a dead letter.",
  usage: [
    "test --route NAME         send a test notification through a route",
    "       simulate --trace FILE      replay samples (NDJSON) through the rules: what would fire, when, to whom",
    "       ack RULE [--by NAME]       acknowledge a firing alert: escalation stops",
    "       deliver                    send what is due in the outbox now",
    "       status                     alert states, the outbox and its dead letters",
    "       retry KEY                  queue a dead letter again (after fixing its route)",
  ].join("\n"),
  options: { route: { type: "string" }, trace: { type: "string" }, by: { type: "string" } },
  async run(context) {
    const action = ACTIONS[context.positionals[0] ?? ""];
    if (!action) throw new UserError(`Say what to do: npm run alert -- ${Object.keys(ACTIONS).join(" | ")} (see --help).`);
    return action(context);
  },
};
