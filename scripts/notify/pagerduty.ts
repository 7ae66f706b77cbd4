import { createHash } from "node:crypto";
import { z } from "zod";
import { secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fitText } from "./fit.ts";
import { fields, headline } from "./message.ts";

const options = {
  routingKey: secretText.describe("Events API v2 integration key, e.g. `${env:PAGERDUTY_ROUTING_KEY}`."),
  endpoint: z.url().default("https://events.pagerduty.com/v2/enqueue").describe("Events API address (EU accounts use events.eu.pagerduty.com)."),
};

const SEVERITY = { critical: "critical", high: "error", warning: "warning", info: "info" } as const;
/** Events API v2: summary and dedup_key lengths; each custom detail is kept short enough that an event stays far below 512 KB. */
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, detail: 8_000 } as const;
const within = (limit: number) => (text: string) => text.length <= limit;

/** The episode key, or (past 255 characters, a very long rule id) its start plus a digest: still one key per episode. */
export function dedupKey(alert: string): string {
  if (alert.length <= PAGERDUTY_LIMITS.dedupKey) return alert;
  return `${alert.slice(0, 200)}#${createHash("sha256").update(alert).digest("hex").slice(0, 32)}`;
}

function action(item: NotificationItem): "trigger" | "acknowledge" | "resolve" {
  if (item.kind === "resolve") return "resolve";
  if (item.kind === "acknowledge") return "acknowledge";
  return "trigger";
}

function event(item: NotificationItem, route: RouteOptions<typeof options>, dedupKey: string, eventAction: "trigger" | "acknowledge" | "resolve") {
  const body: Record<string, unknown> = { routing_key: route.routingKey, event_action: eventAction, dedup_key: dedupKey };
  if (eventAction === "trigger") {
    body.payload = {
      summary: fitText(headline(item), within(PAGERDUTY_LIMITS.summary)),
      source: "signalroom",
      severity: SEVERITY[item.severity],
      timestamp: item.startedAt,
      component: item.providers.join(", ") || undefined,
      group: item.rule,
      class: item.kind,
      custom_details: Object.fromEntries([...fields(item), ["NEXT STEPS", item.next.join(" / ")]].map(([label, value]) => [label, fitText(value!, within(PAGERDUTY_LIMITS.detail))])),
    };
  }
  return body;
}

/**
 * One Events API v2 event per alert, keyed by the episode (`dedup_key`): a trigger opens or updates the
 * PagerDuty alert, acknowledge and resolve act on it, reminders and escalations re-trigger it (PagerDuty
 * folds them into the open alert). A test triggers and at once resolves its own key.
 */
export function pagerdutyRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  return notification.items.flatMap((item) => {
    if (item.kind === "test") {
      return [
        jsonRequest(route.endpoint, event(item, route, dedupKey(item.alert), "trigger"), {}, `${item.id}:trigger`),
        jsonRequest(route.endpoint, event(item, route, dedupKey(item.alert), "resolve"), {}, `${item.id}:resolve`),
      ];
    }
    return [jsonRequest(route.endpoint, event(item, route, dedupKey(item.alert), action(item)), {}, item.id)];
  });
}


export const pagerduty = defineChannel({
  channel: "pagerduty",
  options,
  deliver: (notification, route, context) => sendAll(pagerdutyRequests(notification, route), context),
});
