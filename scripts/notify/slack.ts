import { secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline, nextSteps, plainText } from "./message.ts";

const options = {
  webhookUrl: secretText.describe("Slack incoming-webhook address, e.g. `${env:SLACK_WEBHOOK_URL}`."),
};

/** One incoming-webhook message: a header, then one section per alert (Slack allows 50 blocks; we keep 20 alerts). */
export function slackRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const shown = notification.items.slice(0, 20);
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: notification.title.slice(0, 150), emoji: true } }];
  for (const item of shown) {
    const text = [`*${headline(item)}*`, ...fields(item).map(([label, value]) => `*${label}:* ${value}`), ...(item.next.length ? ["*NEXT STEPS:*", ...nextSteps(item)] : [])].join("\n");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: text.slice(0, 3000) } });
  }
  if (notification.items.length > shown.length) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${notification.items.length - shown.length} more` }] });
  }
  return [jsonRequest(route.webhookUrl, { text: plainText(notification).slice(0, 3000), blocks })];
}

export const slack = defineChannel({
  channel: "slack",
  options,
  deliver: (notification, route, context) => sendAll(slackRequests(notification, route), context),
});
