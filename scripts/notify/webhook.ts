import { createHmac } from "node:crypto";
import { headersText, secretText, urlText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { sendAll, type HttpRequest } from "./http.ts";
import { plainText } from "./message.ts";

const options = {
  url: urlText.describe("Address that receives a JSON POST; a password or token in it only as an `${env:NAME}` placeholder."),
  secret: secretText
    .optional()
    .describe("Signing secret: requests are signed as Standard Webhooks specifies (`webhook-id`, `webhook-timestamp`, `webhook-signature`), so receivers can refuse forged and replayed requests. Use the standard's form, `whsec_` and base64 (`echo whsec_$(openssl rand -base64 32)`); any other text is used as its UTF-8 bytes."),
  headers: headersText.default({}).describe("Extra request headers; credential headers only as `${env:NAME}` placeholders."),
};

/** The HMAC key of a secret: a Standard Webhooks secret (`whsec_` and base64) decoded, anything else as its UTF-8 bytes. */
export function signingKey(secret: string): Buffer {
  const encoded = secret.replace(/^whsec_/, "");
  return secret.startsWith("whsec_") && /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && encoded.length % 4 === 0 ? Buffer.from(encoded, "base64") : Buffer.from(secret, "utf8");
}

/**
 * A JSON POST of the whole notification. `X-Signalroom-Delivery` is the notification key (the same on a
 * resend, so receivers can drop duplicates). With a secret the request is signed as Standard Webhooks
 * (standardwebhooks.com) specifies: `webhook-id` (the notification key), `webhook-timestamp` (Unix seconds
 * when this attempt is sent) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. The
 * timestamp is signed, so a receiver that refuses old timestamps (the standard's libraries allow five
 * minutes) cannot be fooled by a captured request sent again later (docs/alerting.md, "Verifying webhooks").
 */
export function webhookRequests(notification: Notification, route: RouteOptions<typeof options>, sentAt: Date): HttpRequest[] {
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
  if (route.secret) {
    const timestamp = String(Math.floor(sentAt.getTime() / 1000));
    const signature = createHmac("sha256", signingKey(route.secret)).update(`${notification.key}.${timestamp}.${body}`).digest("base64");
    Object.assign(headers, { "webhook-id": notification.key, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` });
  }
  return [{ method: "POST", url: route.url, headers, body }];
}

export const webhook = defineChannel({
  channel: "webhook",
  options,
  // Signed at the moment of sending: a retry hours later carries a fresh timestamp.
  deliver: (notification, route, context) => sendAll(webhookRequests(notification, route, new Date()), context),
});
