import { z } from "zod";
import { envText, headersText, urlText } from "../core/schema/common.ts";

export const httpMethod = z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Status codes a response may have: numbers, classes such as `2xx`, or ranges such as `200-299`. */
export const expectStatus = z
  .array(z.union([z.number().int().min(100).max(599), z.string().regex(/^([1-5]xx|[1-5]\d\d-[1-5]\d\d)$/, "must be a status code, a class such as 2xx or a range such as 200-299")]))
  .min(1)
  .default(["2xx"]);

/** Conditions in the small condition language of docs/conditions.md, e.g. `[STATUS] == 200`. */
export const conditions = z.array(z.string().min(1)).default([]);

/** The request part shared by the http and json check types. */
export const requestOptions = {
  url: urlText.describe("Address to request; `${env:NAME}` placeholders are resolved at run time, and a password or token in it must be one."),
  method: httpMethod.default("GET").describe("HTTP method."),
  headers: headersText.default({}).describe("Request headers; credential headers (Authorization, Cookie, X-Api-Key…) only as `${env:NAME}` placeholders."),
  body: envText.optional().describe("Request body, sent as is."),
  json: z.unknown().optional().describe("Request body sent as JSON (sets content-type)."),
  expectStatus: expectStatus.describe("Accepted status codes, e.g. [200, 405] or [2xx]."),
  followRedirects: z.boolean().default(true).describe("Follow redirects."),
  maxRedirects: z.number().int().min(0).max(20).default(5).describe("Most redirects followed before failing."),
  maxBodyBytes: z.number().int().min(0).default(1_048_576).describe("Bodies larger than this are cut off and the check fails."),
  insecure: z.boolean().default(false).describe("Accept invalid TLS certificates (the days-left figure is still recorded)."),
  minCertDays: z.number().int().min(0).default(14).describe("For https: fewer days of certificate validity left than this is degraded."),
};
