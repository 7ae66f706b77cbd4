import { z } from "zod";
import { secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline, itemText } from "./message.ts";

const options = {
  apiKey: secretText.describe("Opsgenie API integration key, e.g. `${env:OPSGENIE_API_KEY}`."),
  endpoint: z.url().default("https://api.opsgenie.com").describe("API address (EU accounts use api.eu.opsgenie.com)."),
  responders: z.array(z.string()).default([]).describe("Team names to notify."),
};

const PRIORITY = { critical: "P1", high: "P2", warning: "P3", info: "P5" } as const;

function byAlias(route: RouteOptions<typeof options>, item: NotificationItem, verb: "acknowledge" | "close" | "notes"): string {
  return `${route.endpoint.replace(/\/$/, "")}/v2/alerts/${encodeURIComponent(item.alert)}/${verb}?identifierType=alias`;
}

/**
 * Opsgenie's Alert API, one call per alert, found by `alias` (the episode): a trigger creates the alert
 * (Opsgenie de-duplicates an open alias), acknowledge and resolve act on it, the rest become notes.
 */
export function opsgenieRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const auth = { authorization: `GenieKey ${route.apiKey}` };
  const create = (item: NotificationItem, id: string) =>
    jsonRequest(
      `${route.endpoint.replace(/\/$/, "")}/v2/alerts`,
      {
        message: headline(item).slice(0, 130),
        alias: item.alert,
        description: itemText(item).slice(0, 15000),
        responders: route.responders.map((name) => ({ name, type: "team" })),
        tags: ["signalroom", item.severity, ...(item.rule ? [item.rule] : [])],
        details: Object.fromEntries(fields(item)),
        entity: item.providers.join(", ") || undefined,
        source: "signalroom",
        priority: PRIORITY[item.severity],
      },
      auth,
      id,
    );
  return notification.items.flatMap((item) => {
    const note = { source: "signalroom", user: "signalroom", note: itemText(item).slice(0, 25000) };
    switch (item.kind) {
      case "trigger":
        return [create(item, item.id)];
      case "test":
        return [create(item, `${item.id}:create`), jsonRequest(byAlias(route, item, "close"), note, auth, `${item.id}:close`)];
      case "acknowledge":
        return [jsonRequest(byAlias(route, item, "acknowledge"), note, auth, item.id)];
      case "resolve":
        return [jsonRequest(byAlias(route, item, "close"), note, auth, item.id)];
      default:
        return [jsonRequest(byAlias(route, item, "notes"), note, auth, item.id)];
    }
  });
}

export const opsgenie = defineChannel({
  channel: "opsgenie",
  options,
  deliver: (notification, route, context) => sendAll(opsgenieRequests(notification, route), context),
});
