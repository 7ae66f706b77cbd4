import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendNotification } from "../../scripts/notify/deliver.ts";
import { route as routeSchema, type Route } from "../../scripts/schemas.ts";
import { firing, resolved } from "./fixtures.ts";

interface Received {
  from: string;
  to: string[];
  user?: string;
  data: string;
}

describe("email over a real local SMTP server", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;
  let rejectNext = false;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      authOptional: true,
      onAuth(auth, _session, callback) {
        if (auth.username === "mailer" && auth.password === "pa55word") callback(null, { user: auth.username });
        else callback(new Error("Invalid username or password"));
      },
      onData(stream, session, callback) {
        let data = "";
        stream.on("data", (chunk: Buffer) => (data += chunk.toString()));
        stream.on("end", () => {
          if (rejectNext) {
            rejectNext = false;
            const error = new Error("Mailbox full") as Error & { responseCode: number };
            error.responseCode = 452;
            return callback(error);
          }
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: session.user as string | undefined,
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const route = (extra: Record<string, unknown> = {}) =>
    routeSchema.parse({
      id: "ops-email",
      channel: "email",
      host: "127.0.0.1",
      port: "${env:SMTP_PORT}",
      user: "${env:SMTP_USER}",
      password: "${env:SMTP_PASSWORD}",
      from: "signalroom@example.com",
      to: ["ops@example.com", "lead@example.com"],
      ...extra,
    }) as Route;
  const env = () => ({ SMTP_PORT: String(port), SMTP_USER: "mailer", SMTP_PASSWORD: "pa55word" });

  test("delivers the playbook message with a stable Message-ID, authenticated", async () => {
    const notification = firing("ops-email");
    await sendNotification(notification, route(), { env: env(), signal: AbortSignal.timeout(10_000) });
    const mail = received.at(-1)!;
    expect(mail.from).toBe("signalroom@example.com");
    expect(mail.to).toEqual(["ops@example.com", "lead@example.com"]);
    expect(mail.user).toBe("mailer");
    expect(mail.data).toMatch(/^Subject: 2 alerts firing: stripe-webhook-down, booking-queue-backup\r?$/m);
    expect(mail.data).toMatch(/^Message-ID: <[0-9a-f]{32}@signalroom>\r?$/m);
    expect(mail.data).toMatch(/^X-Signalroom-Key: ops-email:[0-9a-f]{16}\r?$/m);
    const text = mail.data.replace(/=\r?\n/g, "");
    for (const field of ["STATUS: Investigating", "STARTED: 2026-11-16 10:45 UTC", "LEAD: Operations", "Next steps:"]) expect(text).toContain(field);

    // A resend (after a crash) carries the same Message-ID, so mail clients fold it into one.
    await sendNotification(notification, route(), { env: env(), signal: AbortSignal.timeout(10_000) });
    const id = (data: string) => /^Message-ID: (.*)$/m.exec(data)![1];
    expect(id(received.at(-1)!.data)).toBe(id(mail.data));
  });

  test("the resolution carries the duration", async () => {
    await sendNotification(resolved("ops-email"), route(), { env: env(), signal: AbortSignal.timeout(10_000) });
    expect(received.at(-1)!.data).toContain("DURATION: 52 minutes");
  });

  test("a refused message, a bad password and a closed port are delivery errors without secrets", async () => {
    rejectNext = true;
    // SMTP 4xx ("mailbox full") and a refused connection pass: retried. A failed login (535) is final: a dead letter.
    const full = await sendNotification(firing("ops-email"), route(), { env: env(), signal: AbortSignal.timeout(10_000) }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(full).toMatchObject({ message: expect.stringMatching(/452/), permanent: false });
    const bad = await sendNotification(firing("ops-email"), route(), { env: { ...env(), SMTP_PASSWORD: "wrong-password" }, signal: AbortSignal.timeout(10_000) }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(bad.message).toMatch(/EAUTH/);
    expect(bad.message).not.toContain("wrong-password");
    expect(bad).toMatchObject({ permanent: true });
    const closed = await sendNotification(firing("ops-email"), route(), { env: { ...env(), SMTP_PORT: "1" }, signal: AbortSignal.timeout(10_000) }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(closed.message).toMatch(/ECONNECTION|ECONNREFUSED/);
    expect(closed).toMatchObject({ permanent: false });
  });
});
