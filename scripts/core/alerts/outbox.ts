/**
 * The outbox's delivery rules, pure. A notification is `sent` only after its channel accepted it. Before a
 * channel is called the entry is marked `sending` and that mark is written to disk, so a crash between the
 * send and the record leaves `sending` behind and the next run sends again with the same idempotency keys.
 * Temporary failures are retried with exponential backoff; each route delivers oldest first, so a resolution
 * never overtakes its trigger, and a route that is down holds its queue without losing anything. A permanent
 * failure (the channel refused the message for good) makes the entry a dead letter at once, so it never holds
 * the messages after it.
 */
import type { DeadReason, Notification } from "../schema/records.ts";
import { isAnnouncement } from "./dead-letters.ts";

export const FIRST_RETRY_MS = 60_000;
export const LONGEST_RETRY_MS = 60 * 60_000;
/** After this long undelivered, a notification becomes a dead letter (kept a week for the room and `alert status`). */
export const GIVE_UP_MS = 3 * 86_400_000;

const open = (entry: Notification) => entry.status !== "sent" && entry.status !== "failed";

export function backoff(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** Per route, the oldest open notification, when it is due now; later ones wait behind it. */
export function dueNotifications(outbox: readonly Notification[], now: Date): Notification[] {
  const heads = new Map<string, Notification>();
  for (const entry of [...outbox].filter(open).sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    if (!heads.has(entry.route)) heads.set(entry.route, entry);
  }
  return [...heads.values()].filter((entry) => !entry.nextAttemptAt || Date.parse(entry.nextAttemptAt) <= now.getTime());
}

export function markSending(entry: Notification, now: Date): Notification {
  return { ...entry, status: "sending", attempts: entry.attempts + 1, lastAttemptAt: now.toISOString() };
}

export function markDelivered(entry: Notification, item: string): Notification {
  return entry.delivered.includes(item) ? entry : { ...entry, delivered: [...entry.delivered, item] };
}

export function markSent(entry: Notification, now: Date): Notification {
  const { nextAttemptAt: _retry, lastError: _error, ...rest } = entry;
  return { ...rest, status: "sent", sentAt: now.toISOString() };
}

/** A notification that will not be delivered: status `failed`, with why; it no longer holds its route's queue. */
export function markDead(entry: Notification, now: Date, reason: DeadReason, error: string): Notification {
  const { nextAttemptAt: _retry, ...rest } = entry;
  return { ...rest, status: "failed", lastError: error, failure: { reason, at: now.toISOString() } };
}

/** A dead letter queued again by an operator (`alert retry`), after its route was fixed. */
export function requeue(entry: Notification): Notification {
  const { failure: _failure, nextAttemptAt: _retry, ...rest } = entry;
  return { ...rest, status: "pending" };
}

/**
 * A failed attempt. Permanent: a dead letter at once. Temporary: retried later with backoff (or after
 * `retryAfter` when the channel asked), and a dead letter once GIVE_UP_MS have passed since it was queued.
 */
export function markFailed(entry: Notification, now: Date, error: string, failure: { permanent: boolean; retryAfterMs?: number }): Notification {
  if (failure.permanent) return markDead(entry, now, "rejected", error);
  if (now.getTime() - Date.parse(entry.createdAt) >= GIVE_UP_MS) return markDead(entry, now, "expired", error);
  const wait = Math.max(backoff(entry.attempts), failure.retryAfterMs ?? 0);
  return { ...entry, status: "retrying", lastError: error, nextAttemptAt: new Date(now.getTime() + wait).toISOString() };
}

/**
 * A delivery made on one tree, recorded on another (its push lost a race, or the cycle is re-applied on the
 * winner's files): an entry with the same key takes the delivery's progress when that went further, and the
 * announcements of dead letters the delivery queued come along, so nothing is sent twice.
 */
export function carryDeliveries(outbox: readonly Notification[], earlier: readonly Notification[]): Notification[] {
  const progressed = new Map(earlier.filter((entry) => entry.attempts > 0).map((entry) => [entry.key, entry]));
  const present = new Set(outbox.map((entry) => entry.key));
  return [
    ...outbox.map((entry) => {
      const done = progressed.get(entry.key);
      return done && done.attempts >= entry.attempts ? done : entry;
    }),
    ...earlier.filter((entry) => !present.has(entry.key) && isAnnouncement(entry)),
  ];
}
