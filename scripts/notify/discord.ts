import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const discord = defineChannel({
  channel: "discord",
  options: {
    webhookUrl: envText.describe("Discord webhook address, e.g. `${env:DISCORD_WEBHOOK_URL}`."),
    mention: z.enum(["none", "here", "channel", "everyone"]).default("none").describe("Mention added to critical and high alerts."),
  },
});
