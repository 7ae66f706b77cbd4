/** Notifications every channel test shares: a grouped trigger with two alerts, a resolution, an acknowledgement. */
import { notificationFor, testNotification } from "../../scripts/core/alerts/plan.ts";
import type { Notification, NotificationItem } from "../../scripts/core/schema/records.ts";

const NOW = new Date("2026-11-16T10:47:00.000Z");

export const paymentsDown: NotificationItem = {
  id: "stripe-webhook-down@20261116T1047Z/trigger",
  alert: "stripe-webhook-down@20261116T1047Z",
  kind: "trigger",
  rule: "stripe-webhook-down",
  severity: "critical",
  title: "Payment webhooks: stripe-webhook-down",
  status: "Investigating",
  impact: "The Stripe webhook endpoint is not answering; payments stop turning into orders. At risk: Money state & <member trust>.",
  startedAt: "2026-11-16T10:45:00.000Z",
  lead: "Operations",
  next: ["Inspect provider logs, queues, deployment context, and recent user-facing failures", "Check Stripe's webhook delivery status"],
  detail: "down for 2 consecutive runs: stripe-webhook",
  providers: ["payment-webhooks"],
  incident: "2026-11-16-stripe-webhook-down",
};

export const queueBackup: NotificationItem = {
  ...paymentsDown,
  id: "booking-queue-backup@20261116T1047Z/trigger",
  alert: "booking-queue-backup@20261116T1047Z",
  rule: "booking-queue-backup",
  severity: "high",
  title: "booking.changed: booking-queue-backup",
  impact: "More than 100 booking deliveries are waiting (clears at 50).",
  detail: "queue_depth is 140 on booking-deliveries (fires above 100, clears at 50)",
  providers: ["booking.changed"],
  incident: undefined,
};

export const paymentsResolved: NotificationItem = {
  ...paymentsDown,
  id: "stripe-webhook-down@20261116T1047Z/resolve",
  kind: "resolve",
  status: "Resolved",
  next: ["Confirm the recovery, then complete the incident's evidence, timeline and prevention task before closing it."],
  resolvedAt: "2026-11-16T11:37:00.000Z",
  durationMs: 52 * 60_000,
};

export const paymentsAcknowledged: NotificationItem = { ...paymentsDown, id: "stripe-webhook-down@20261116T1047Z/acknowledge", kind: "acknowledge", status: "Acknowledged by alice", acknowledgedBy: "alice" };

export const firing = (route = "chat"): Notification => notificationFor(route, [paymentsDown, queueBackup], NOW);
export const resolved = (route = "chat"): Notification => notificationFor(route, [paymentsResolved], new Date("2026-11-16T11:37:00.000Z"));
export const acknowledged = (route = "chat"): Notification => notificationFor(route, [paymentsAcknowledged], new Date("2026-11-16T10:50:00.000Z"));
export const test = (route = "chat"): Notification => testNotification(route, NOW);
