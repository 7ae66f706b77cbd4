import pg from "pg";
import { z } from "zod";
import { urlText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";
import { describeFailure, untilAborted } from "./failure.ts";
import { conditions } from "./shared-options.ts";
import { judge } from "./verdict.ts";

const PLACEHOLDERS = ["CONNECTED", "RESPONSE_TIME", "BODY"] as const;
/** Rows kept for [BODY]: enough for conditions on a health query, bounded for a careless `select *`. */
const MAX_ROWS = 100;

export const postgres = defineCheckType({
  type: "postgres",
  options: {
    url: urlText.describe("Connection string, e.g. `${env:DATABASE_URL}`; credentials stay out of results."),
    query: z.string().min(1).default("select 1").describe("Query to run after connecting."),
    expectRows: z.number().int().min(0).optional().describe("Number of rows the query must return."),
    expectValue: z.union([z.string(), z.number(), z.boolean()]).optional().describe("Value the first column of the first row must have."),
    conditions: conditions.describe("Conditions that must hold or the sample is down; [BODY] is the rows as JSON, e.g. `[BODY][0].waiting < 10`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
  placeholders: PLACEHOLDERS,
  async probe(check, context) {
    let where: string;
    try {
      where = new URL(check.url).host || "the database";
    } catch {
      return { state: "error", error: "url is not a valid postgres:// connection string once its placeholders are filled in" };
    }
    const client = new pg.Client({
      connectionString: check.url,
      connectionTimeoutMillis: check.timeout,
      query_timeout: check.timeout,
      application_name: "signalroom-probe",
    });
    // A client reports a dropped connection as an event as well as through the pending call, which
    // already becomes the outcome; an unheard event would crash the run.
    client.on("error", () => undefined);
    const started = performance.now();
    let connected = false;
    try {
      await untilAborted(client.connect(), context.signal, () => void client.end());
      connected = true;
      context.mark("connect", { remote: where });
      const result = await untilAborted(client.query(check.query), context.signal, () => void client.end());
      const responseTimeMs = performance.now() - started;
      context.mark("done", { rows: result.rows.length });
      const failures: string[] = [];
      if (check.expectRows !== undefined && result.rows.length !== check.expectRows) {
        failures.push(`the query returned ${result.rows.length} rows, expected ${check.expectRows}`);
      }
      if (check.expectValue !== undefined) {
        const first = result.rows[0] ? Object.values(result.rows[0] as Record<string, unknown>)[0] : undefined;
        if (first === undefined) failures.push(`the query returned no value, expected ${String(check.expectValue)}`);
        else if (String(first) !== String(check.expectValue)) failures.push(`the query returned ${String(first)}, expected ${String(check.expectValue)}`);
      }
      return judge(check, PLACEHOLDERS, { connected, responseTimeMs, body: JSON.stringify(result.rows.slice(0, MAX_ROWS)), failures }, context.redact);
    } catch (error) {
      return judge(check, PLACEHOLDERS, { connected, failures: [describeFailure(error, where, context.signal)] }, context.redact);
    } finally {
      // Ending a client that never connected, or that an abort already ended, may fail: the outcome stands.
      await client.end().catch(() => undefined);
    }
  },
});
