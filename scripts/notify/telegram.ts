import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const telegram = defineChannel({
  channel: "telegram",
  options: {
    botToken: envText.describe("Bot token, e.g. `${env:TELEGRAM_BOT_TOKEN}`."),
    chatId: envText.describe("Chat to post in."),
    endpoint: z.url().default("https://api.telegram.org").describe("Bot API address."),
  },
});
