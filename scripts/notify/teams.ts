import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const teams = defineChannel({
  channel: "teams",
  options: {
    webhookUrl: envText.describe("Microsoft Teams workflow (incoming webhook) address."),
  },
});
