import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, permanentStatus, type RouteOptions } from "./channel.ts";
import { jsonRequest, sendAll, type HttpRequest } from "./http.ts";
import { fit } from "./fit.ts";
import { itemLines, type Line } from "./message.ts";

const options = {
  botToken: secretText.describe("Bot token, e.g. `${env:TELEGRAM_BOT_TOKEN}`."),
  chatId: envText.describe("Chat to post in."),
  endpoint: z.url().default("https://api.telegram.org").describe("Bot API address."),
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Telegram's limit (counted after its HTML is parsed, so the raw HTML being within it is on the safe side). */
export const TELEGRAM_LIMIT = 4096;

function html(line: Line): string {
  if (line.kind === "field") return `<b>${escape(line.label)}:</b> ${escape(line.text)}`;
  if (line.kind === "headline") return `<b>${escape(line.text)}</b>`;
  if (line.kind === "heading") return `<b>${escape(line.text)}:</b>`;
  if (line.kind === "note") return `<i>${escape(line.text)}</i>`;
  return escape(`- ${line.text}`);
}

/** The message in Telegram's HTML mode, cut at alert and line boundaries to 4096 characters (scripts/notify/fit.ts). */
export function telegramText(notification: Notification): string {
  const title = notification.items.length === 1 ? [] : [`<b>${escape(notification.title)}</b>`];
  return fit(notification.items.map(itemLines), {
    render: (blocks, omitted) =>
      [...title, ...blocks.map((lines) => lines.map(html).join("\n")), ...(omitted ? [`<i>…and ${omitted} more: see the operations room</i>`] : [])].join("\n\n"),
    fits: (text) => text.length <= TELEGRAM_LIMIT,
  });
}

/** One Bot API sendMessage in HTML mode. */
export function telegramRequests(notification: Notification, route: RouteOptions<typeof options>): HttpRequest[] {
  const url = `${route.endpoint.replace(/\/$/, "")}/bot${route.botToken}/sendMessage`;
  return [{ ...jsonRequest(url, { chat_id: route.chatId, text: telegramText(notification), parse_mode: "HTML", link_preview_options: { is_disabled: true } }), verdict: telegramVerdict }];
}

/** The Bot API says `ok: false` with a description, and how long to wait when it is flooded (`parameters.retry_after`). */
export function telegramVerdict(status: number, body: string) {
  let answer: { ok?: boolean; error_code?: number; description?: string; parameters?: { retry_after?: number } };
  try {
    answer = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (answer.ok !== false) return undefined;
  const code = answer.error_code ?? status;
  const wait = answer.parameters?.retry_after;
  return { reason: answer.description ?? "ok: false", status: code, permanent: permanentStatus(code), retryAfterMs: wait === undefined ? undefined : wait * 1000 };
}

export const telegram = defineChannel({
  channel: "telegram",
  options,
  deliver: (notification, route, context) => sendAll(telegramRequests(notification, route), context),
});
