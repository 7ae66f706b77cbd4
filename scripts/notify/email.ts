import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const email = defineChannel({
  channel: "email",
  options: {
    host: envText.describe("SMTP server host."),
    port: z.union([z.number().int().min(1).max(65535), envText]).default(587).describe("SMTP server port."),
    secure: z.boolean().default(false).describe("Use TLS from the start (port 465); otherwise STARTTLS when offered."),
    user: envText.optional().describe("SMTP user name."),
    password: envText.optional().describe("SMTP password, e.g. `${env:SMTP_PASSWORD}`."),
    from: envText.describe("Sender address."),
    to: z.array(envText).min(1).describe("Recipient addresses."),
  },
});
