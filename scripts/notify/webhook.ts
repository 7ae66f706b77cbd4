import { createHmac } from "node:crypto";
import { headersText, secretText, urlText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { sendAll, type HttpRequest } from "./http.ts";
import { plainText } from "./message.ts";

const options = {
  url: urlText.describe("Address that receives a JSON POST; a password or token in it only as an `${env:NAME}` placeholder."),
  secret: secretText.optional().describe("Key for the `X-Signalroom-Signature: sha256=…` HMAC of the body."),
  headers: headersText.default({}).describe("Extra request headers; credential headers only as `${env:NAME}` placeholders."),
};

/**
 * A JSON POST of the whole notification. `X-Signalroom-Delivery` is the notification key (the same on a
 * resend, so receivers can drop duplicates); with a secret, `X-Signalroom-Signature: sha256=<hex>` is the
 * HMAC-SHA256 of the exact body bytes.
 */
export function webhookRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const payload = {
    version: 1,
    key: notification.key,
    route: notification.route,
    createdAt: notification.createdAt,
    severity: notification.severity,
    title: notification.title,
    text: plainText(notification),
    items: notification.items,
  };
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    ...route.headers,
    "content-type": "application/json",
    "user-agent": "signalroom",
    "x-signalroom-delivery": notification.key,
    "x-signalroom-event": [...new Set(notification.items.map((item) => item.kind))].join(","),
  };
  if (route.secret) headers["x-signalroom-signature"] = `sha256=${createHmac("sha256", route.secret).update(body).digest("hex")}`;
  return [{ method: "POST", url: route.url, headers, body }];
}

export const webhook = defineChannel({
  channel: "webhook",
  options,
  deliver: (notification, route, context) => sendAll(webhookRequests(notification, route), context),
});
