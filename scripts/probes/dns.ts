import { promises as dnsPromises } from "node:dns";
import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";
import { codeOf, describeFailure, untilAborted } from "./failure.ts";
import { conditions } from "./shared-options.ts";
import { judge } from "./verdict.ts";

const PLACEHOLDERS = ["DNS_RCODE", "RESPONSE_TIME", "BODY"] as const;
const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "SOA", "PTR"] as const;
type RecordType = (typeof RECORD_TYPES)[number];

/** Response codes as the resolver library reports them (NOERROR without answers is ENODATA). */
const RCODES: Record<string, string> = {
  ENOTFOUND: "NXDOMAIN",
  ENODATA: "NOERROR",
  ESERVFAIL: "SERVFAIL",
  EREFUSED: "REFUSED",
  EFORMERR: "FORMERR",
  ENOTIMP: "NOTIMP",
};

export const dns = defineCheckType({
  type: "dns",
  options: {
    name: envText.describe("Name to resolve."),
    recordType: z.enum(RECORD_TYPES).default("A").describe("Record type to ask for."),
    resolver: envText.optional().describe("Resolver to ask, `address` or `address:port` (`[::1]:53` for IPv6); the system resolver when left out."),
    expectValues: z.array(z.string()).optional().describe("Values the answer must contain (all of them), e.g. an address, or `10 mx.example.com` for MX."),
    expectRcode: z.enum(["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED"]).default("NOERROR").describe("Response code expected."),
    conditions: conditions.describe("Conditions that must hold or the sample is down; [BODY] is the list of answers, e.g. `len([BODY]) >= 2`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
  placeholders: PLACEHOLDERS,
  async probe(check, context) {
    const resolver = new dnsPromises.Resolver({ timeout: check.timeout, tries: 1 });
    if (check.resolver) {
      try {
        resolver.setServers([check.resolver]);
      } catch {
        return { state: "error", error: "resolver must be an address or address:port (IPv6 as [::1]:53)" };
      }
    }
    const server = check.resolver ?? "the system resolver";
    const started = performance.now();
    let answers: string[] = [];
    let rcode: string;
    try {
      answers = normalise(check.recordType, await untilAborted(resolver.resolve(check.name, check.recordType), context.signal, () => resolver.cancel()));
      rcode = "NOERROR";
    } catch (error) {
      const code = codeOf(error);
      const known = code ? RCODES[code] : undefined;
      if (!known) return judge(check, PLACEHOLDERS, { failures: [describeFailure(error, server, context.signal)] }, context.redact);
      rcode = known;
    }
    const responseTimeMs = performance.now() - started;
    context.mark("done", { rcode, answers: answers.length });
    const failures: string[] = [];
    if (rcode !== check.expectRcode) failures.push(`${check.name} ${check.recordType}: ${rcode}, expected ${check.expectRcode}`);
    else if (rcode === "NOERROR" && answers.length === 0) failures.push(`${check.name} has no ${check.recordType} records`);
    const missing = (check.expectValues ?? []).filter((value) => !answers.some((answer) => matches(answer, value)));
    if (missing.length > 0) failures.push(`${check.name} ${check.recordType} lacks ${missing.join(", ")} (got ${answers.join(", ") || "nothing"})`);
    return judge(check, PLACEHOLDERS, { dnsRcode: rcode, responseTimeMs, body: JSON.stringify(answers), failures }, context.redact);
  },
});

/** Each answer as one line of text, the way operators write expected values. */
function normalise(type: RecordType, records: unknown): string[] {
  const list = Array.isArray(records) ? records : [records];
  return list.map((record) => {
    switch (type) {
      case "MX": {
        const mx = record as { priority: number; exchange: string };
        return `${mx.priority} ${mx.exchange}`;
      }
      case "TXT":
        return (record as string[]).join("");
      case "SRV": {
        const srv = record as { priority: number; weight: number; port: number; name: string };
        return `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`;
      }
      case "SOA": {
        const soa = record as { nsname: string; hostmaster: string; serial: number };
        return `${soa.nsname} ${soa.hostmaster} ${soa.serial}`;
      }
      default:
        return String(record);
    }
  });
}

/** Names compare without case or trailing dot; `mx.example.com` also matches the answer `10 mx.example.com`. */
function matches(answer: string, expected: string): boolean {
  const clean = (text: string) => text.trim().toLowerCase().replace(/\.$/, "");
  const [a, e] = [clean(answer), clean(expected)];
  return a === e || a.endsWith(` ${e}`);
}
