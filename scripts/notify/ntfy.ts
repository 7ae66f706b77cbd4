import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { itemText } from "./message.ts";

const options = {
  topic: envText.describe("Topic to publish to."),
  server: z.url().default("https://ntfy.sh").describe("ntfy server address."),
  token: secretText.optional().describe("Access token for protected topics."),
};

const PRIORITY = { critical: 5, high: 4, warning: 3, info: 2 } as const;

/** One JSON publish: priority follows severity (urgent for critical), tags show the kind as an emoji. */
export function ntfyRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const resolvedOnly = notification.items.every((item) => item.kind === "resolve");
  const body = notification.items.length === 1 ? itemText(notification.items[0]!).split("\n").slice(2).join("\n") : notification.items.map(itemText).join("\n\n");
  return [
    jsonRequest(
      `${route.server.replace(/\/$/, "")}/`,
      {
        topic: route.topic,
        title: notification.title,
        message: body.slice(0, 4000),
        priority: resolvedOnly ? 3 : PRIORITY[notification.severity],
        tags: [resolvedOnly ? "white_check_mark" : notification.items[0]!.kind === "test" ? "test_tube" : "rotating_light", "signalroom"],
      },
      route.token ? { authorization: `Bearer ${route.token}` } : {},
    ),
  ];
}

export const ntfy = defineChannel({
  channel: "ntfy",
  options,
  deliver: (notification, route, context) => sendAll(ntfyRequests(notification, route), context),
});
