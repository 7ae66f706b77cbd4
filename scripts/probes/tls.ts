import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";

export const tls = defineCheckType({
  type: "tls",
  options: {
    host: envText.describe("Host name or address to connect to."),
    port: z.union([z.number().int().min(1).max(65535), envText]).default(443).describe("TCP port."),
    servername: z.string().optional().describe("Name sent in SNI and checked against the certificate; defaults to `host`."),
    minCertDays: z.number().int().min(0).default(14).describe("Fewer days of validity left than this is degraded; expired is down."),
    insecure: z.boolean().default(false).describe("Accept certificates that do not verify (expiry is still checked)."),
  },
});
