/**
 * Notification planning, pure: events of one run → outbox entries. Every route gets at most one notification
 * per run listing everything that happened to its alerts ("5 alerts firing: …", playbook §6.2.3), split in
 * two only when quiet hours hold back the non-critical part. Each item carries the playbook §6.3.3 fields.
 */
import { createHash } from "node:crypto";
import type { AlertRule, Provider, RouteBase } from "../model.ts";
import type { Severity } from "../schema/enums.ts";
import type { AlertState, Notification, NotificationItem, NotificationKind } from "../schema/records.ts";
import type { AlertEvent } from "./events.ts";
import { windowAround } from "./windows.ts";

export interface PlanInput {
  now: Date;
  events: readonly AlertEvent[];
  rules: readonly AlertRule[];
  providers: readonly Provider[];
  routes: readonly RouteBase[];
  /** Alert states after evaluation (for the incident each episode is linked to). */
  alerts: Readonly<Record<string, AlertState>>;
  outbox: readonly Notification[];
}

const SEVERITY_ORDER: Severity[] = ["info", "warning", "high", "critical"];
/** Sent and failed notifications stay this long in the outbox, for the operations room and `alert status`. */
export const OUTBOX_KEEP_MS = 7 * 86_400_000;

const KIND: Record<AlertEvent["type"], NotificationKind> = {
  fired: "trigger",
  released: "trigger",
  reminder: "reminder",
  escalated: "escalation",
  raised: "raise",
  acknowledged: "acknowledge",
  cleared: "resolve",
};

function statusOf(event: AlertEvent): string {
  switch (event.type) {
    case "fired":
    case "released":
      return "Investigating";
    case "reminder":
      return "Still firing";
    case "escalated":
      return `Escalated: step ${event.step}, not acknowledged`;
    case "raised":
      return `Raised from ${event.from} to ${event.severity}: still unresolved`;
    case "acknowledged":
      return event.by ? `Acknowledged by ${event.by}` : "Acknowledged";
    case "cleared":
      return { recovered: "Resolved", inactive: "Resolved: outside the rule's active hours", "rule-changed": "Closed: the rule was edited", "rule-removed": "Closed: the rule was removed" }[event.reason];
  }
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items.filter((item) => item.trim() !== ""))];
}

function itemFor(event: AlertEvent, input: PlanInput): NotificationItem {
  const rule = input.rules.find((candidate) => candidate.id === event.rule);
  const providers = input.providers.filter((provider) => event.providers.includes(provider.id));
  const state = input.alerts[event.rule];
  const names = providers.map((provider) => provider.name);
  const protects = unique(providers.map((provider) => provider.protects ?? provider.consumer ?? provider.destination ?? ""));
  const startedAt = "onsetAt" in event ? event.onsetAt : (state?.onsetAt ?? event.at);
  const kind = KIND[event.type];
  const detail = "detail" in event ? event.detail : state?.detail;
  const next =
    kind === "resolve"
      ? ["Confirm the recovery, then complete the incident's evidence, timeline and prevention task before closing it."]
      : unique([...providers.map((provider) => provider.recovery), ...providers.flatMap((provider) => provider.runbook?.immediate.slice(0, 2) ?? provider.escalation.slice(0, 2))]);
  const item: NotificationItem = {
    id: `${event.episode}/${kind}${event.type === "escalated" ? event.step : ""}`,
    alert: event.episode,
    kind,
    rule: event.rule,
    severity: event.severity,
    title: names.length ? `${names.join(", ")}: ${event.rule}` : event.rule,
    status: statusOf(event),
    impact: [rule?.description ?? "The rule is gone.", protects.length ? `At risk: ${protects.join("; ")}.` : ""].filter(Boolean).join(" "),
    startedAt,
    lead: unique(providers.map((provider) => provider.owner)).join(", ") || "on-call",
    next,
    detail,
    providers: event.providers,
    incident: state?.incident,
  };
  if (event.type === "escalated") item.step = event.step;
  if (event.type === "acknowledged" && event.by) item.acknowledgedBy = event.by;
  if (event.type === "cleared") {
    item.resolvedAt = event.at;
    item.durationMs = event.durationMs;
  }
  return item;
}

/** One word per kind for grouped titles. */
const KIND_WORD: Record<NotificationKind, string> = {
  trigger: "firing",
  reminder: "still firing",
  escalation: "escalated",
  raise: "raised",
  acknowledge: "acknowledged",
  resolve: "resolved",
  test: "test",
  undelivered: "not delivered",
};

export function titleOf(items: readonly NotificationItem[]): string {
  if (items.length === 1) return `${items[0]!.severity.toUpperCase()} ${KIND_WORD[items[0]!.kind]}: ${items[0]!.title}`;
  const rules = unique(items.map((item) => item.rule ?? item.title)).join(", ");
  const kinds = unique(items.map((item) => item.kind));
  if (kinds.length === 1 && kinds[0] === "trigger") return `${items.length} alerts firing: ${rules}`;
  const counts = unique(items.map((item) => KIND_WORD[item.kind])).map((word) => `${items.filter((item) => KIND_WORD[item.kind] === word).length} ${word}`);
  return `${items.length} alert updates (${counts.join(", ")}): ${rules}`;
}

function highest(items: readonly NotificationItem[]): Severity {
  return items.reduce<Severity>((top, item) => (SEVERITY_ORDER.indexOf(item.severity) > SEVERITY_ORDER.indexOf(top) ? item.severity : top), "info");
}

function keyOf(route: string, items: readonly NotificationItem[]): string {
  const digest = createHash("sha256").update(items.map((item) => item.id).sort().join("\n")).digest("hex").slice(0, 16);
  return `${route}:${digest}`;
}

/** A notification for one route; `nextAttemptAt` holds it back (quiet hours). */
export function notificationFor(route: string, items: NotificationItem[], now: Date, nextAttemptAt?: number): Notification {
  const notification: Notification = {
    key: keyOf(route, items),
    route,
    createdAt: now.toISOString(),
    severity: highest(items),
    title: titleOf(items),
    items,
    status: nextAttemptAt === undefined ? "pending" : "delayed",
    attempts: 0,
    delivered: [],
  };
  if (nextAttemptAt !== undefined) notification.nextAttemptAt = new Date(nextAttemptAt).toISOString();
  return notification;
}

const lower = (severity: Severity): Severity => SEVERITY_ORDER[Math.max(0, SEVERITY_ORDER.indexOf(severity) - 1)]!;

/** Applies a route's quiet hours: what is not exempt waits for their end (`delay`) or goes out one level lower (`downgrade`). */
export function applyQuietHours(route: RouteBase | undefined, items: NotificationItem[], now: Date): Notification[] {
  const quiet = route?.quietHours;
  const window = quiet ? windowAround(quiet, now) : undefined;
  const id = route?.id ?? "unknown";
  if (!quiet || !window) return [notificationFor(id, items, now)];
  const exempt = (item: NotificationItem) => item.kind === "test" || quiet.except.includes(item.severity);
  const immediate = items.filter(exempt);
  const held = items.filter((item) => !exempt(item));
  if (quiet.action === "downgrade") return [notificationFor(id, [...immediate, ...held.map((item) => ({ ...item, severity: lower(item.severity) }))], now)];
  return [...(immediate.length ? [notificationFor(id, immediate, now)] : []), ...(held.length ? [notificationFor(id, held, now, window.end)] : [])];
}

/** Sent or failed notifications older than a week leave the outbox. */
export function pruneOutbox(outbox: readonly Notification[], now: Date): Notification[] {
  return outbox.filter((entry) => {
    if (entry.status !== "sent" && entry.status !== "failed") return true;
    return now.getTime() - Date.parse(entry.sentAt ?? entry.failure?.at ?? entry.lastAttemptAt ?? entry.createdAt) < OUTBOX_KEEP_MS;
  });
}

/** The outbox after this run: pruned, plus this run's notifications (a key already queued is never queued twice). */
export function planNotifications(input: PlanInput): Notification[] {
  const byRoute = new Map<string, NotificationItem[]>();
  for (const event of input.events) {
    if (event.routes.length === 0) continue;
    const item = itemFor(event, input);
    for (const route of event.routes) {
      const items = byRoute.get(route) ?? [];
      if (!items.some((existing) => existing.id === item.id)) items.push(item);
      byRoute.set(route, items);
    }
  }
  const queued = new Set(input.outbox.map((entry) => entry.key));
  const planned = [...byRoute.entries()].flatMap(([route, items]) =>
    applyQuietHours(
      input.routes.find((candidate) => candidate.id === route),
      items.sort((a, b) => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) || a.id.localeCompare(b.id)),
      input.now,
    ),
  );
  return [...pruneOutbox(input.outbox, input.now), ...planned.filter((entry) => !queued.has(entry.key))];
}

/** A test notification for one route (playbook §6.2.4): goes out at once, whatever the quiet hours. */
export function testNotification(route: string, now: Date): Notification {
  const at = now.toISOString();
  const item: NotificationItem = {
    id: `test@${at}/test`,
    alert: `signalroom-test@${at.replace(/[-:.]/g, "")}`,
    kind: "test",
    severity: "info",
    title: `Test notification for route ${route}`,
    status: "Test: no action needed",
    impact: "None. This message checks that the route delivers and reads well.",
    startedAt: at,
    lead: "Signalroom",
    next: ["Confirm it arrived, then nothing else."],
    providers: [],
  };
  return notificationFor(route, [item], now);
}
