import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const webhook = defineChannel({
  channel: "webhook",
  options: {
    url: envText.describe("Address that receives a JSON POST."),
    secret: envText.optional().describe("Key for the `X-Signalroom-Signature: sha256=…` HMAC of the body."),
    headers: z.record(z.string(), envText).default({}).describe("Extra request headers."),
  },
});
