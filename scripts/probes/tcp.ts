import { z } from "zod";
import { mentions, parseConditions } from "../core/conditions.ts";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";
import { connectOnce } from "./connection.ts";
import { conditions } from "./shared-options.ts";
import { judge } from "./verdict.ts";

const PLACEHOLDERS = ["CONNECTED", "RESPONSE_TIME"] as const;

export const tcp = defineCheckType({
  type: "tcp",
  options: {
    host: envText.describe("Host name or address to connect to."),
    port: z.union([z.number().int().min(1).max(65535), envText]).describe("TCP port."),
    conditions: conditions.describe("Conditions that must hold or the sample is down; `[CONNECTED] == false` checks that a port is closed."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded, e.g. `[RESPONSE_TIME] < 50`."),
  },
  placeholders: PLACEHOLDERS,
  async probe(check, context) {
    const attempt = await connectOnce(check, context);
    if (attempt.error !== undefined) return { state: "error", error: attempt.error };
    if (attempt.connection) return judge(check, PLACEHOLDERS, { connected: true, responseTimeMs: attempt.responseTimeMs }, context.redact);
    // A check whose conditions test [CONNECTED] decides itself whether a refused connection is a failure.
    const judgesConnection = mentions(parseConditions(check.conditions, PLACEHOLDERS), "CONNECTED");
    return judge(check, PLACEHOLDERS, { connected: false, failures: judgesConnection ? [] : [attempt.failure!] }, context.redact);
  },
});
