import { z } from "zod";
import { secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline, nextSteps } from "./message.ts";

const options = {
  webhookUrl: secretText.describe("Discord webhook address, e.g. `${env:DISCORD_WEBHOOK_URL}`."),
  mention: z.enum(["none", "here", "channel", "everyone"]).default("none").describe("Mention added to critical and high alerts."),
};

const COLOUR = { critical: 0xd73a49, high: 0xe36209, warning: 0xdbab09, info: 0x0366d6, resolved: 0x28a745 } as const;

/** One webhook message: the mention and grouped title as content, one embed per alert (Discord allows 10). */
export function discordRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const urgent = notification.severity === "critical" || notification.severity === "high";
  const pages = urgent && notification.items.some((item) => ["trigger", "reminder", "escalation", "raise"].includes(item.kind));
  const mention = pages && route.mention !== "none" ? `@${route.mention} ` : "";
  const embeds = notification.items.slice(0, 10).map((item) => ({
    title: headline(item).slice(0, 256),
    color: item.kind === "resolve" ? COLOUR.resolved : COLOUR[item.severity],
    fields: fields(item).map(([name, value]) => ({ name, value: value.slice(0, 1024), inline: name === "STARTED" || name === "LEAD" || name === "DURATION" })),
    description: item.next.length ? ["**Next steps**", ...nextSteps(item)].join("\n").slice(0, 4096) : undefined,
    timestamp: item.resolvedAt ?? item.startedAt,
  }));
  const more = notification.items.length > 10 ? ` (first 10 of ${notification.items.length})` : "";
  return [
    jsonRequest(`${route.webhookUrl}${route.webhookUrl.includes("?") ? "&" : "?"}wait=true`, {
      content: `${mention}${notification.title}${more}`.slice(0, 2000),
      embeds,
      allowed_mentions: { parse: mention ? ["everyone"] : [] },
    }),
  ];
}

export const discord = defineChannel({
  channel: "discord",
  options,
  deliver: (notification, route, context) => sendAll(discordRequests(notification, route), context),
});
