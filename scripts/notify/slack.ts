import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const slack = defineChannel({
  channel: "slack",
  options: {
    webhookUrl: envText.describe("Slack incoming-webhook address, e.g. `${env:SLACK_WEBHOOK_URL}`."),
  },
});
