import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const pagerduty = defineChannel({
  channel: "pagerduty",
  options: {
    routingKey: envText.describe("Events API v2 integration key, e.g. `${env:PAGERDUTY_ROUTING_KEY}`."),
    endpoint: z.url().default("https://events.pagerduty.com/v2/enqueue").describe("Events API address (EU accounts use events.eu.pagerduty.com)."),
  },
});
