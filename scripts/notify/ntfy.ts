import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fitPlain, fitText } from "./fit.ts";
import { itemLines } from "./message.ts";

const options = {
  topic: envText.describe("Topic to publish to."),
  server: z.url().default("https://ntfy.sh").describe("ntfy server address."),
  token: secretText.optional().describe("Access token for protected topics."),
};

const PRIORITY = { critical: 5, high: 4, warning: 3, info: 2 } as const;
/** ntfy turns a message over 4096 bytes into an attachment (or refuses it where attachments are off); titles are kept short. */
export const NTFY_LIMITS = { messageBytes: 4096, title: 250 } as const;

/** One JSON publish: priority follows severity (urgent for critical), tags show the kind as an emoji. */
export function ntfyRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const resolvedOnly = notification.items.every((item) => item.kind === "resolve");
  // One alert: its headline is the title already. Several: each alert in full.
  const blocks = notification.items.map((item) => (notification.items.length === 1 ? itemLines(item).slice(1) : itemLines(item)));
  const body = fitPlain(blocks, undefined, (text) => Buffer.byteLength(text) <= NTFY_LIMITS.messageBytes);
  return [
    jsonRequest(
      `${route.server.replace(/\/$/, "")}/`,
      {
        topic: route.topic,
        title: fitText(notification.title, (text) => text.length <= NTFY_LIMITS.title),
        message: body,
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
