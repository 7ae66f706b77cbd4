import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const ntfy = defineChannel({
  channel: "ntfy",
  options: {
    topic: envText.describe("Topic to publish to."),
    server: z.url().default("https://ntfy.sh").describe("ntfy server address."),
    token: envText.optional().describe("Access token for protected topics."),
  },
});
