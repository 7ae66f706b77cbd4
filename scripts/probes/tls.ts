import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";
import { connectOnce } from "./connection.ts";
import { conditions } from "./shared-options.ts";
import { judge } from "./verdict.ts";

const PLACEHOLDERS = ["CONNECTED", "RESPONSE_TIME", "CERT_DAYS"] as const;

export const tls = defineCheckType({
  type: "tls",
  options: {
    host: envText.describe("Host name or address to connect to."),
    port: z.union([z.number().int().min(1).max(65535), envText]).default(443).describe("TCP port."),
    servername: z.string().optional().describe("Name sent in SNI and checked against the certificate; defaults to `host`."),
    minCertDays: z.number().int().min(0).default(14).describe("Fewer days of validity left than this is degraded; expired is down."),
    insecure: z.boolean().default(false).describe("Accept certificates that do not verify (expiry is still checked)."),
    conditions: conditions.describe("Conditions that must hold or the sample is down, e.g. `[CERT_DAYS] > 7`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
  placeholders: PLACEHOLDERS,
  async probe(check, context) {
    const attempt = await connectOnce(check, context, { servername: check.servername });
    if (attempt.error !== undefined) return { state: "error", error: attempt.error };
    if (!attempt.connection) return judge(check, PLACEHOLDERS, { connected: false, failures: [attempt.failure!] }, context.redact);
    const { certificate, untrusted } = attempt.connection;
    // Expiry is judged from the days left (so `insecure` cannot hide it); other trust problems here.
    const expired = (certificate?.daysLeft ?? 0) < 0;
    const failures = untrusted && !check.insecure && !expired ? [untrusted] : [];
    return judge(check, PLACEHOLDERS, { connected: true, responseTimeMs: attempt.responseTimeMs, certDays: certificate?.daysLeft, failures }, context.redact);
  },
});
