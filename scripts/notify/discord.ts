import { z } from "zod";
import { secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { fit, fitText } from "./fit.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline, type Line } from "./message.ts";

const options = {
  webhookUrl: secretText.describe("Discord webhook address, e.g. `${env:DISCORD_WEBHOOK_URL}`."),
  mention: z.enum(["none", "here", "channel", "everyone"]).default("none").describe("Mention added to critical and high alerts."),
};

const COLOUR = { critical: 0xd73a49, high: 0xe36209, warning: 0xdbab09, info: 0x0366d6, resolved: 0x28a745 } as const;

/** Discord's limits for one webhook message; `total` counts every embed's title, description, field names and values together. */
export const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fieldName: 256, fieldValue: 1024, total: 6000 } as const;

/** Our text is plain: Discord's markdown characters are escaped, so a cut never leaves half a `**`. */
const escape = (text: string) => text.replace(/[\\*_~`|]/g, "\\$&");
const within = (limit: number) => (text: string) => text.length <= limit;

interface Embed {
  title: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  description?: string;
  timestamp: string;
}

function embedOf(item: NotificationItem, caps: { value: number; description: number }): Embed {
  const steps: Line[] = item.next.map((text) => ({ kind: "step", text }));
  return {
    title: fitText(headline(item), within(DISCORD_LIMITS.title), escape),
    color: item.kind === "resolve" ? COLOUR.resolved : COLOUR[item.severity],
    fields: fields(item).map(([name, value]) => ({
      name: fitText(name, within(DISCORD_LIMITS.fieldName), escape),
      value: fitText(value || "–", within(caps.value), escape),
      inline: name === "STARTED" || name === "LEAD" || name === "DURATION",
    })),
    description: steps.length
      ? fit([steps], {
          render: ([lines]) => ["**Next steps**", ...lines!.map((line) => (line.kind === "note" ? `*${escape(line.text)}*` : `- ${escape(line.text)}`))].join("\n"),
          fits: within(caps.description),
        })
      : undefined,
    timestamp: item.resolvedAt ?? item.startedAt,
  };
}

const size = (embed: Embed) => embed.title.length + (embed.description?.length ?? 0) + embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);

/** As many embeds as Discord takes in one message: at most 10, all of them together within 6000 characters. */
function embedsOf(items: readonly NotificationItem[]): Embed[] {
  let caps: { value: number; description: number } = { value: DISCORD_LIMITS.fieldValue, description: DISCORD_LIMITS.description };
  let embeds = items.slice(0, DISCORD_LIMITS.embeds).map((item) => embedOf(item, caps));
  const total = () => embeds.reduce((sum, embed) => sum + size(embed), 0);
  while (total() > DISCORD_LIMITS.total) {
    if (embeds.length > 1) embeds = embeds.slice(0, -1);
    else {
      caps = { value: Math.floor(caps.value / 2), description: Math.floor(caps.description / 2) };
      embeds = [embedOf(items[0]!, caps)];
    }
  }
  return embeds;
}

/** One webhook message: the mention and grouped title as content, one embed per alert, within Discord's limits. */
export function discordRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const urgent = notification.severity === "critical" || notification.severity === "high";
  const pages = urgent && notification.items.some((item) => ["trigger", "reminder", "escalation", "raise", "undelivered"].includes(item.kind));
  const mention = pages && route.mention !== "none" ? `@${route.mention} ` : "";
  const embeds = embedsOf(notification.items);
  const more = notification.items.length > embeds.length ? ` (first ${embeds.length} of ${notification.items.length})` : "";
  return [
    jsonRequest(`${route.webhookUrl}${route.webhookUrl.includes("?") ? "&" : "?"}wait=true`, {
      content: fitText(notification.title, within(DISCORD_LIMITS.content), (title) => `${mention}${escape(title)}${more}`),
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
