import { createHash } from "node:crypto";
import { createTransport } from "nodemailer";
import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification } from "../core/schema/records.ts";
import { defineChannel, DeliveryError, type DeliveryContext, type RouteOptions } from "./channel.ts";
import { plainText } from "./message.ts";

const options = {
  host: envText.describe("SMTP server host."),
  port: z.union([z.number().int().min(1).max(65535), envText]).default(587).describe("SMTP server port."),
  secure: z.boolean().default(false).describe("Use TLS from the start (port 465); otherwise STARTTLS when offered."),
  user: envText.optional().describe("SMTP user name."),
  password: secretText.optional().describe("SMTP password, e.g. `${env:SMTP_PASSWORD}`."),
  from: envText.describe("Sender address."),
  to: z.array(envText).min(1).describe("Recipient addresses."),
};

const PRIORITY = { critical: "high", high: "high", warning: "normal", info: "low" } as const;

/** The message: plain text in the playbook's layout, a Message-ID derived from the notification key (the same on a resend). */
export function emailMessage(notification: Notification, route: RouteOptions<typeof options>) {
  const id = createHash("sha256").update(notification.key).digest("hex").slice(0, 32);
  return {
    from: route.from,
    to: route.to,
    subject: notification.title,
    text: plainText(notification),
    messageId: `<${id}@signalroom>`,
    priority: PRIORITY[notification.severity],
    headers: { "X-Signalroom-Key": notification.key, "Auto-Submitted": "auto-generated" },
  };
}

async function deliver(notification: Notification, route: RouteOptions<typeof options>, context: DeliveryContext): Promise<void> {
  const port = Number(route.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DeliveryError(`the SMTP port must be a number from 1 to 65535`, { permanent: true });
  const transport = createTransport({
    host: route.host,
    port,
    secure: route.secure,
    auth: route.user ? { user: route.user, pass: route.password ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  let stop = () => {};
  const aborted = new Promise<never>((_, reject) => {
    stop = () => reject(new DeliveryError("the SMTP server did not answer in time"));
    if (context.signal.aborted) stop();
    else context.signal.addEventListener("abort", stop, { once: true });
  });
  aborted.catch(() => {});
  try {
    await Promise.race([transport.sendMail(emailMessage(notification, route)), aborted]);
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    const { code, responseCode } = error as { code?: string; responseCode?: number };
    throw new DeliveryError(`SMTP ${route.host}:${port} refused: ${code ?? ""}${responseCode ? ` ${responseCode}` : ""} ${(error as Error).message}`.replace(/\s+/g, " ").trim(), {
      // SMTP's 5xx replies are final (unknown mailbox, refused sender, failed login); 4xx and dropped connections pass.
      permanent: responseCode !== undefined && responseCode >= 500,
    });
  } finally {
    context.signal.removeEventListener("abort", stop);
    transport.close();
  }
}

export const email = defineChannel({
  channel: "email",
  options,
  deliver,
});
