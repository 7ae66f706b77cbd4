import { secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { fit } from "./fit.ts";
import { sendAll, type HttpRequest } from "./http.ts";
import { itemLines, type Line } from "./message.ts";

const options = {
  webhookUrl: secretText.describe("Microsoft Teams workflow (incoming webhook) address, e.g. `${env:TEAMS_WEBHOOK_URL}`."),
};

/** Teams takes messages up to 28 KB; the whole request body stays under it. */
export const TEAMS_LIMIT_BYTES = 28_000;

function blocksOf(lines: readonly Line[], item: NotificationItem): unknown[] {
  const text = (kind: Line["kind"]) => lines.filter((line) => line.kind === kind).map((line) => line.text);
  const facts = lines.flatMap((line) => (line.kind === "field" ? [{ title: line.label, value: line.text }] : []));
  const steps = text("step").map((step) => `- ${step}`);
  return [
    ...text("headline").map((headline) => ({ type: "TextBlock", text: headline, weight: "Bolder", wrap: true, separator: true, color: item.kind === "resolve" ? "Good" : item.severity === "critical" ? "Attention" : "Warning" })),
    ...(facts.length ? [{ type: "FactSet", facts }] : []),
    ...(steps.length ? [{ type: "TextBlock", text: ["Next steps:", ...steps].join("\n"), wrap: true }] : []),
    ...text("note").map((note) => ({ type: "TextBlock", text: note, isSubtle: true, wrap: true })),
  ];
}

/** One Adaptive Card (what Teams workflows accept): the grouped title, then a fact set per alert, cut to Teams' size limit at alert boundaries. */
export function teamsRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const payload = (kept: readonly (readonly Line[])[], omitted: number) => {
    const body: unknown[] = [
      { type: "TextBlock", text: notification.title, weight: "Bolder", size: "Large", wrap: true },
      ...kept.flatMap((lines, index) => blocksOf(lines, notification.items[index]!)),
      ...(omitted ? [{ type: "TextBlock", text: `…and ${omitted} more: see the operations room`, isSubtle: true, wrap: true }] : []),
    ];
    const card = { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.4", body };
    return JSON.stringify({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }] });
  };
  const body = fit(notification.items.map(itemLines), { render: payload, fits: (json) => Buffer.byteLength(json) <= TEAMS_LIMIT_BYTES });
  return [{ method: "POST", url: route.webhookUrl, headers: { "content-type": "application/json" }, body, verdict: teamsVerdict }];
}

/**
 * Office 365 connectors answer 200 with an error text when Teams refused the card ("Webhook message delivery
 * failed with error: Microsoft Teams endpoint returned HTTP error 413…"); workflows answer 202 with nothing.
 */
export function teamsVerdict(status: number, body: string) {
  if (status >= 300 || !/delivery failed|returned HTTP error/i.test(body)) return undefined;
  return { reason: body.slice(0, 200).replace(/\s+/g, " ").trim(), permanent: !/HTTP error 429\b/.test(body) };
}

export const teams = defineChannel({
  channel: "teams",
  options,
  deliver: (notification, route, context) => sendAll(teamsRequests(notification, route), context),
});
