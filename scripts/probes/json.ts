import { z } from "zod";
import { defineCheckType } from "./check-type.ts";
import { performRequest } from "./request.ts";
import { conditions, requestOptions } from "./shared-options.ts";
import { judge } from "./verdict.ts";

const PLACEHOLDERS = ["STATUS", "RESPONSE_TIME", "BODY", "HEADER", "CERT_DAYS", "CONNECTED", "METRIC"] as const;

export const json = defineCheckType({
  type: "json",
  options: {
    ...requestOptions,
    metrics: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/, "metric names use lowercase letters, digits and underscores"), z.string().min(1))
      .refine((metrics) => Object.keys(metrics).length > 0, "must name at least one metric")
      .describe("Numbers to read from the JSON body: metric name → path such as `queue.depth` or `deliveries[0].failed`."),
    conditions: conditions.describe("Conditions that must hold or the sample is down, e.g. `[METRIC].queue_depth < 100`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
  placeholders: PLACEHOLDERS,
  async probe(check, context) {
    const seen = await performRequest(check, context);
    if ("error" in seen) return { state: "error", error: seen.error };
    if (seen.body === undefined || (seen.failures ?? []).length > 0) return judge(check, PLACEHOLDERS, seen, context.redact);
    let document: unknown;
    try {
      document = JSON.parse(seen.body);
    } catch (error) {
      return judge(check, PLACEHOLDERS, { ...seen, failures: [`the response is not valid JSON (${(error as Error).message})`] }, context.redact);
    }
    const metrics: Record<string, number> = {};
    const failures: string[] = [];
    for (const [name, path] of Object.entries(check.metrics)) {
      const read = readNumber(document, path);
      if (typeof read === "number") metrics[name] = read;
      else failures.push(`metric ${name}: ${read.problem}`);
    }
    return judge(check, PLACEHOLDERS, { ...seen, metrics, failures, sample: Object.keys(metrics).length > 0 ? { metrics } : {} }, context.redact);
  },
});

/** The number at a path such as `queue.depth` or `deliveries[0].failed`; numeric strings count. */
export function readNumber(document: unknown, path: string): number | { problem: string } {
  let current = document;
  for (const step of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) current = Array.isArray(current) ? current[Number(index[1])] : undefined;
    else current = current !== null && typeof current === "object" && !Array.isArray(current) ? (current as Record<string, unknown>)[step] : undefined;
    if (current === undefined) return { problem: `${path} is missing from the response` };
  }
  if (typeof current === "number" && Number.isFinite(current)) return current;
  if (typeof current === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(current)) return Number(current);
  return { problem: `${path} is ${JSON.stringify(current)}, not a number` };
}
