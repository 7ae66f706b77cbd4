import { defineCheckType } from "./check-type.ts";
import { performRequest } from "./request.ts";
import { conditions, requestOptions } from "./shared-options.ts";
import { judge } from "./verdict.ts";

const PLACEHOLDERS = ["STATUS", "RESPONSE_TIME", "BODY", "HEADER", "CERT_DAYS", "CONNECTED"] as const;

export const http = defineCheckType({
  type: "http",
  options: {
    ...requestOptions,
    conditions: conditions.describe("Conditions that must hold or the sample is down, e.g. `[BODY].status == ok`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
  placeholders: PLACEHOLDERS,
  async probe(check, context) {
    const seen = await performRequest(check, context);
    if ("error" in seen) return { state: "error", error: seen.error };
    return judge(check, PLACEHOLDERS, seen, context.redact);
  },
});
