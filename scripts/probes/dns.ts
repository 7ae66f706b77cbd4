import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";

export const dns = defineCheckType({
  type: "dns",
  options: {
    name: envText.describe("Name to resolve."),
    recordType: z.enum(["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "SOA", "PTR"]).default("A").describe("Record type to ask for."),
    resolver: envText.optional().describe("Resolver to ask, `address` or `address:port`; the system resolver when left out."),
    expectValues: z.array(z.string()).optional().describe("Values the answer must contain (all of them)."),
    expectRcode: z.enum(["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED"]).default("NOERROR").describe("Response code expected."),
  },
});
