import { secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { fit, fitPlain, fitText } from "./fit.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { itemLines, type Line } from "./message.ts";

const options = {
  webhookUrl: secretText.describe("Slack incoming-webhook address, e.g. `${env:SLACK_WEBHOOK_URL}`."),
};

/** Slack's limits: a section's text, a header's text, and the fallback text we send. */
export const SLACK_LIMITS = { section: 3000, header: 150, text: 3000, sections: 20 } as const;

/** Slack reads `&`, `<` and `>` as its own syntax (links, mentions); text escapes them. */
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function mrkdwn(line: Line): string {
  if (line.kind === "field") return `*${escape(line.label)}:* ${escape(line.text)}`;
  if (line.kind === "headline") return `*${escape(line.text)}*`;
  if (line.kind === "heading") return `*${escape(line.text.toUpperCase())}:*`;
  if (line.kind === "note") return `_${escape(line.text)}_`;
  return `- ${escape(line.text)}`;
}

/** One incoming-webhook message: a header, then one section per alert (Slack allows 50 blocks; we keep 20 alerts). */
export function slackRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const shown = notification.items.slice(0, SLACK_LIMITS.sections);
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: fitText(notification.title, (text) => text.length <= SLACK_LIMITS.header), emoji: true } }];
  for (const item of shown) {
    const text = fit([itemLines(item)], { render: ([lines]) => lines!.map(mrkdwn).join("\n"), fits: (candidate) => candidate.length <= SLACK_LIMITS.section });
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  }
  if (notification.items.length > shown.length) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${notification.items.length - shown.length} more` }] });
  }
  const title = notification.items.length === 1 ? undefined : notification.title;
  const text = fitPlain(notification.items.map(itemLines), title, (candidate) => candidate.length <= SLACK_LIMITS.text, escape);
  return [jsonRequest(route.webhookUrl, { text, blocks })];
}

export const slack = defineChannel({
  channel: "slack",
  options,
  deliver: (notification, route, context) => sendAll(slackRequests(notification, route), context),
});
