import { secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline, nextSteps } from "./message.ts";

const options = {
  webhookUrl: secretText.describe("Microsoft Teams workflow (incoming webhook) address, e.g. `${env:TEAMS_WEBHOOK_URL}`."),
};

/** One Adaptive Card (what Teams workflows accept): the grouped title, then a fact set per alert. */
export function teamsRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const body: unknown[] = [{ type: "TextBlock", text: notification.title, weight: "Bolder", size: "Large", wrap: true }];
  for (const item of notification.items.slice(0, 20)) {
    body.push(
      { type: "TextBlock", text: headline(item), weight: "Bolder", wrap: true, separator: true, color: item.kind === "resolve" ? "Good" : item.severity === "critical" ? "Attention" : "Warning" },
      { type: "FactSet", facts: fields(item).map(([title, value]) => ({ title, value })) },
    );
    if (item.next.length) body.push({ type: "TextBlock", text: ["Next steps:", ...nextSteps(item)].join("\n"), wrap: true });
  }
  const card = { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.4", body };
  return [jsonRequest(route.webhookUrl, { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }] })];
}

export const teams = defineChannel({
  channel: "teams",
  options,
  deliver: (notification, route, context) => sendAll(teamsRequests(notification, route), context),
});
