import { z } from "zod";
import { secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline } from "./message.ts";

const options = {
  routingKey: secretText.describe("Events API v2 integration key, e.g. `${env:PAGERDUTY_ROUTING_KEY}`."),
  endpoint: z.url().default("https://events.pagerduty.com/v2/enqueue").describe("Events API address (EU accounts use events.eu.pagerduty.com)."),
};

const SEVERITY = { critical: "critical", high: "error", warning: "warning", info: "info" } as const;

function action(item: NotificationItem): "trigger" | "acknowledge" | "resolve" {
  if (item.kind === "resolve") return "resolve";
  if (item.kind === "acknowledge") return "acknowledge";
  return "trigger";
}

function event(item: NotificationItem, route: RouteOptions<typeof options>, dedupKey: string, eventAction: "trigger" | "acknowledge" | "resolve") {
  const body: Record<string, unknown> = { routing_key: route.routingKey, event_action: eventAction, dedup_key: dedupKey };
  if (eventAction === "trigger") {
    body.payload = {
      summary: headline(item).slice(0, 1024),
      source: "signalroom",
      severity: SEVERITY[item.severity],
      timestamp: item.startedAt,
      component: item.providers.join(", ") || undefined,
      group: item.rule,
      class: item.kind,
      custom_details: Object.fromEntries([...fields(item), ["NEXT STEPS", item.next.join(" / ")]]),
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
        jsonRequest(route.endpoint, event(item, route, item.alert, "trigger"), {}, `${item.id}:trigger`),
        jsonRequest(route.endpoint, event(item, route, item.alert, "resolve"), {}, `${item.id}:resolve`),
      ];
    }
    return [jsonRequest(route.endpoint, event(item, route, item.alert, action(item)), {}, item.id)];
  });
}


export const pagerduty = defineChannel({
  channel: "pagerduty",
  options,
  deliver: (notification, route, context) => sendAll(pagerdutyRequests(notification, route), context),
});
