import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";

export const postgres = defineCheckType({
  type: "postgres",
  options: {
    url: envText.describe("Connection string, e.g. `${env:DATABASE_URL}`; credentials stay out of results."),
    query: z.string().min(1).default("select 1").describe("Query to run after connecting."),
    expectRows: z.number().int().min(0).optional().describe("Number of rows the query must return."),
    expectValue: z.union([z.string(), z.number(), z.boolean()]).optional().describe("Value the first column of the first row must have."),
  },
});
