/**
 * Delivers the outbox (IO). Routes deliver in parallel, each oldest first; before a channel is called the
 * entry is marked `sending` and persisted, after every accepted item and every outcome the outbox is
 * persisted again. A permanent failure makes the entry a dead letter at once (the route goes on with its next
 * message) and queues its announcement on the fallback route, which is delivered in the same run; a temporary
 * failure stops the route until its retry, so order holds. A slow or failing channel never throws out of
 * here: it costs at most `timeoutMs` per notification and no new send starts after `budgetMs`.
 */
import type { Dispatcher } from "undici";
import type { Clock } from "../core/clock.ts";
import { announceDeadLetters, type FallbackSettings } from "../core/alerts/dead-letters.ts";
import { dueNotifications, markDead, markDelivered, markFailed, markSending, markSent } from "../core/alerts/outbox.ts";
import { createRedactor, secretsIn, type Redact } from "../core/redaction.ts";
import { secretKeysOf } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { resolveEnv, weakSecretsProblem } from "../core/secrets.ts";
import type { Route } from "../schemas.ts";
import { clientCache, DeliveryError, toDeliveryError, type Channel, type DeliveryContext, type RouteOptions } from "./channel.ts";
import { channels } from "./registry.ts";

export interface DeliverOptions {
  /** The routes, and who announces dead letters (`fallbackRoute`, `severityRoutes`). */
  config: FallbackSettings & { routes: readonly Route[] };
  env: NodeJS.ProcessEnv;
  clock: Clock;
  dispatcher?: Dispatcher;
  /** Writes the outbox to disk (checks/state.json); called before every send and after every outcome. */
  persist(outbox: Notification[]): Promise<void>;
  /** Routes delivering at the same time. */
  concurrency?: number;
  /** Longest one notification may take. */
  timeoutMs?: number;
  /** After this long no new send starts; what is left waits for the next run. */
  budgetMs?: number;
}

export interface Outcome {
  notification: Notification;
  ok: boolean;
  error?: string;
}

export interface DeliveryReport {
  outbox: Notification[];
  outcomes: Outcome[];
}

/** Sends one notification through its route; throws a DeliveryError (already redacted) when it fails. */
export async function sendNotification(
  notification: Notification,
  route: Route,
  options: { env: NodeJS.ProcessEnv; dispatcher?: Dispatcher; signal: AbortSignal; accepted?: DeliveryContext["accepted"]; reuse?: DeliveryContext["reuse"] },
): Promise<void> {
  const channel = channels.find((candidate) => candidate.channel === route.channel) as Channel | undefined;
  if (!channel) throw new DeliveryError(`route ${route.id} uses the unknown channel ${route.channel}`, { permanent: true });
  let redact: Redact = createRedactor([]);
  try {
    const resolved = resolveEnv(route, options.env, { secretKeys: secretKeysOf(channel.options) });
    redact = createRedactor([...resolved.secrets, ...secretsIn(resolved.value)]);
    // Permanent: the route cannot work until someone sets the variable, so the message becomes a dead letter and is announced.
    if (resolved.missing.length > 0) throw new DeliveryError(`the environment variable ${resolved.missing[0]} is not set`, { permanent: true });
    const weak = weakSecretsProblem(resolved.weak);
    if (weak) throw new DeliveryError(weak, { permanent: true });
    const filled = resolved.value as RouteOptions<typeof channel.options>;
    await channel.deliver(notification, filled, {
      dispatcher: options.dispatcher,
      signal: options.signal,
      delivered: new Set(notification.delivered),
      accepted: options.accepted ?? (async () => {}),
      reuse: options.reuse ?? clientCache(),
      env: options.env,
      redact,
    });
  } catch (error) {
    const failure = toDeliveryError(error, options.signal);
    throw new DeliveryError(redact(`route ${route.id} (${route.channel}): ${failure.message}`), failure);
  }
}

export async function deliverOutbox(outbox: readonly Notification[], options: DeliverOptions): Promise<DeliveryReport> {
  const { clock } = options;
  const started = clock.now().getTime();
  const budget = options.budgetMs ?? 60_000;
  const timeout = options.timeoutMs ?? 15_000;
  // Dead letters a crashed run left unannounced are announced now.
  let current = announceDeadLetters(outbox, options.config, options.config.routes, clock.now());
  const outcomes: Outcome[] = [];
  const reuse = clientCache();

  // Writes go one after another, each with the outbox as it is by then.
  let writing: Promise<void> = Promise.resolve();
  const persist = () => {
    const snapshot = current;
    writing = writing.then(() => options.persist(snapshot));
    return writing;
  };
  const update = (key: string, change: (entry: Notification) => Notification) => {
    current = current.map((entry) => (entry.key === key ? change(entry) : entry));
    return current.find((entry) => entry.key === key)!;
  };
  /** A dead letter (just marked) is recorded together with its announcement, in one write. */
  const bury = async (key: string) => {
    current = announceDeadLetters(current, options.config, options.config.routes, clock.now());
    const dead = current.find((entry) => entry.key === key)!;
    outcomes.push({ notification: dead, ok: false, error: dead.lastError });
    await persist();
  };

  const deliverRoute = async (routeId: string) => {
    while (clock.now().getTime() - started < budget) {
      const head = dueNotifications(current, clock.now()).find((entry) => entry.route === routeId);
      if (!head) return;
      const route = options.config.routes.find((candidate) => candidate.id === routeId);
      if (!route) {
        update(head.key, (entry) => markDead(entry, clock.now(), "route-removed", `the route ${routeId} no longer exists`));
        await bury(head.key);
        continue;
      }
      update(head.key, (entry) => markSending(entry, clock.now()));
      await persist();
      const signal = AbortSignal.timeout(timeout);
      try {
        await sendNotification(current.find((entry) => entry.key === head.key)!, route, {
          env: options.env,
          dispatcher: options.dispatcher,
          signal,
          reuse,
          accepted: async (item) => {
            update(head.key, (entry) => markDelivered(entry, item));
            await persist();
          },
        });
        outcomes.push({ notification: update(head.key, (entry) => markSent(entry, clock.now())), ok: true });
        await persist();
      } catch (error) {
        const failure = error as DeliveryError;
        const failed = update(head.key, (entry) => markFailed(entry, clock.now(), failure.message, failure));
        if (failed.status === "failed") {
          // A dead letter never holds the route: its later messages go on.
          await bury(head.key);
          continue;
        }
        outcomes.push({ notification: failed, ok: false, error: failure.message });
        await persist();
        return;
      }
    }
  };

  // Rounds: the routes with something due deliver in parallel. Every attempt ends sent, dead or waiting for a
  // later retry, so a route is due again next round only when a dead letter's announcement was queued on it.
  for (;;) {
    const routes = [...new Set(dueNotifications(current, clock.now()).map((entry) => entry.route))];
    if (routes.length === 0 || clock.now().getTime() - started >= budget) break;
    const workers = Array.from({ length: Math.min(options.concurrency ?? 4, routes.length) }, async () => {
      for (let next = routes.shift(); next !== undefined; next = routes.shift()) await deliverRoute(next);
    });
    await Promise.all(workers);
  }
  await writing;
  return { outbox: current, outcomes };
}
