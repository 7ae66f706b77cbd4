/**
 * Dead letters, pure: notifications that will not be delivered (a channel refused them for good, they could
 * not be delivered for three days, or their route was removed). They stay in the outbox as `failed` for the
 * room and `alert status`, never hold their route's later messages, and each is announced once through a
 * fallback route, all of one delivery run in one message. An announcement that dies itself is not announced
 * again, so a broken fallback route cannot start a loop.
 */
import type { Config, RouteBase } from "../model.ts";
import type { Notification, NotificationItem } from "../schema/records.ts";
import { applyQuietHours } from "./plan.ts";

export type FallbackSettings = Pick<Config, "severityRoutes" | "fallbackRoute">;

export const isAnnouncement = (entry: Notification) => entry.items.every((item) => item.kind === "undelivered");

/**
 * The route that announces a dead letter of `route`: `fallbackRoute` when set, by default the first route of
 * the warning, high, critical and info severities (the team's channel, in the playbook's layout); never the
 * route that failed; none with `fallbackRoute: false`.
 */
export function fallbackFor(route: string, settings: FallbackSettings, routes: readonly RouteBase[]): string | undefined {
  if (settings.fallbackRoute === false) return undefined;
  const { warning, high, critical, info } = settings.severityRoutes;
  const candidates = settings.fallbackRoute ? [settings.fallbackRoute] : [...warning, ...high, ...critical, ...info];
  return candidates.find((id) => id !== route && routes.some((candidate) => candidate.id === id));
}

const STATUS: Record<NonNullable<Notification["failure"]>["reason"], string> = {
  rejected: "Refused by the channel for good; not retried",
  expired: "Could not be delivered for three days; given up",
  "route-removed": "Its route was removed from the configuration",
};

/** What the fallback route is told about one dead letter: which route missed what, why, and how to resend it. */
export function announcementItem(dead: Notification): NotificationItem {
  const unique = (values: string[]) => [...new Set(values)];
  const alerts = unique(dead.items.map((item) => item.title));
  return {
    id: `${dead.key}/undelivered`,
    alert: `undelivered@${dead.key}`,
    kind: "undelivered",
    severity: dead.severity,
    title: `Not delivered to ${dead.route}: ${dead.title}`,
    status: STATUS[dead.failure?.reason ?? "rejected"],
    impact: `Nobody on route ${dead.route} got this message about ${alerts.slice(0, 3).join("; ")}${alerts.length > 3 ? ` and ${alerts.length - 3} more` : ""}.`,
    startedAt: dead.createdAt,
    lead: unique(dead.items.map((item) => item.lead)).join(", ") || "on-call",
    next: [`Read the error in the operations room (Alerts, dead letters) or with npm run alert -- status.`, `Fix route ${dead.route}, then resend it: npm run alert -- retry ${dead.key}`],
    detail: dead.lastError,
    providers: unique(dead.items.flatMap((item) => item.providers)),
  };
}

/**
 * Queues one announcement per fallback route for the dead letters not announced yet, and records on each
 * dead letter the route that announces it. The announcement goes through the route's quiet hours like any
 * notification (at the dead letter's severity, so a refused critical page still goes out at once).
 */
export function announceDeadLetters(outbox: readonly Notification[], settings: FallbackSettings, routes: readonly RouteBase[], now: Date): Notification[] {
  const waiting = new Map<string, Notification[]>();
  for (const entry of outbox) {
    if (entry.status !== "failed" || !entry.failure || entry.failure.announcedVia || isAnnouncement(entry)) continue;
    const via = fallbackFor(entry.route, settings, routes);
    if (via) waiting.set(via, [...(waiting.get(via) ?? []), entry]);
  }
  if (waiting.size === 0) return [...outbox];
  const via = new Map([...waiting].flatMap(([route, dead]) => dead.map((entry) => [entry.key, route] as const)));
  const queued = new Set(outbox.map((entry) => entry.key));
  const announcements = [...waiting].flatMap(([route, dead]) =>
    applyQuietHours(
      routes.find((candidate) => candidate.id === route),
      dead.map(announcementItem),
      now,
    ),
  );
  return [
    ...outbox.map((entry) => (via.has(entry.key) ? { ...entry, failure: { ...entry.failure!, announcedVia: via.get(entry.key)! } } : entry)),
    ...announcements.filter((entry) => !queued.has(entry.key)),
  ];
}
