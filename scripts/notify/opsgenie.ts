import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const opsgenie = defineChannel({
  channel: "opsgenie",
  options: {
    apiKey: envText.describe("Opsgenie API integration key, e.g. `${env:OPSGENIE_API_KEY}`."),
    endpoint: z.url().default("https://api.opsgenie.com").describe("API address (EU accounts use api.eu.opsgenie.com)."),
    responders: z.array(z.string()).default([]).describe("Team names to notify."),
  },
});
