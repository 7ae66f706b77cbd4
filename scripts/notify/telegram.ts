import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fields, headline, nextSteps } from "./message.ts";

const options = {
  botToken: secretText.describe("Bot token, e.g. `${env:TELEGRAM_BOT_TOKEN}`."),
  chatId: envText.describe("Chat to post in."),
  endpoint: z.url().default("https://api.telegram.org").describe("Bot API address."),
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const LIMIT = 4096;

/** One Bot API sendMessage in HTML mode (Telegram's limit is 4096 characters; longer text is cut with a note). */
export function telegramRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const blocks = notification.items.map((item) =>
    [`<b>${escape(headline(item))}</b>`, ...fields(item).map(([label, value]) => `<b>${label}:</b> ${escape(value)}`), ...(item.next.length ? ["<b>Next steps:</b>", ...nextSteps(item).map(escape)] : [])].join("\n"),
  );
  let text = notification.items.length === 1 ? blocks[0]! : [`<b>${escape(notification.title)}</b>`, ...blocks].join("\n\n");
  if (text.length > LIMIT) text = `${text.slice(0, LIMIT - 40).replace(/<[^>]*$/, "")}\n… (cut: see the operations room)`;
  const url = `${route.endpoint.replace(/\/$/, "")}/bot${route.botToken}/sendMessage`;
  return [jsonRequest(url, { chat_id: route.chatId, text, parse_mode: "HTML", link_preview_options: { is_disabled: true } })];
}

export const telegram = defineChannel({
  channel: "telegram",
  options,
  deliver: (notification, route, context) => sendAll(telegramRequests(notification, route), context),
});
