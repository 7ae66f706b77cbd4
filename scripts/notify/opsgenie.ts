import { z } from "zod";
import { secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fitPlain, fitText } from "./fit.ts";
import { fields, headline, itemLines } from "./message.ts";

const options = {
  apiKey: secretText.describe("Opsgenie API integration key, e.g. `${env:OPSGENIE_API_KEY}`."),
  endpoint: z.url().default("https://api.opsgenie.com").describe("API address (EU accounts use api.eu.opsgenie.com)."),
  responders: z.array(z.string()).default([]).describe("Team names to notify."),
};

const PRIORITY = { critical: "P1", high: "P2", warning: "P3", info: "P5" } as const;
/** Opsgenie's limits (characters): message, description, note, all details together, each tag, entity. */
export const OPSGENIE_LIMITS = { message: 130, description: 15_000, note: 25_000, details: 8_000, tag: 50, entity: 512 } as const;
const within = (limit: number) => (text: string) => text.length <= limit;

/** The item's fields as details, each value shortened so that keys and values together stay within the limit. */
function details(item: NotificationItem): Record<string, string> {
  const rows = fields(item);
  const share = Math.floor(OPSGENIE_LIMITS.details / rows.length);
  return Object.fromEntries(rows.map(([label, value]) => [label, fitText(value, within(share - label.length))]));
}

const text = (item: NotificationItem, limit: number) => fitPlain([itemLines(item)], undefined, within(limit));

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
        message: fitText(headline(item), within(OPSGENIE_LIMITS.message)),
        alias: item.alert,
        description: text(item, OPSGENIE_LIMITS.description),
        responders: route.responders.map((name) => ({ name, type: "team" })),
        tags: ["signalroom", item.severity, ...(item.rule ? [fitText(item.rule, within(OPSGENIE_LIMITS.tag))] : [])],
        details: details(item),
        entity: item.providers.length ? fitText(item.providers.join(", "), within(OPSGENIE_LIMITS.entity)) : undefined,
        source: "signalroom",
        priority: PRIORITY[item.severity],
      },
      auth,
      id,
    );
  return notification.items.flatMap((item) => {
    const note = { source: "signalroom", user: "signalroom", note: text(item, OPSGENIE_LIMITS.note) };
    switch (item.kind) {
      case "trigger":
      case "undelivered":
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
