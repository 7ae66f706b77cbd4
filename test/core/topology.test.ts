/**
 * What the topology decides at run time: what issues may carry, whether a run may commit, how the room
 * leaves the job; and the owner-safe face of the `github` route's and the mirror's issues.
 */
import { describe, expect, test } from "vitest";
import { incidentIssue } from "../../scripts/core/incident-issue.ts";
import { commitGuard, issueFields, roomArchive } from "../../scripts/core/topology.ts";
import { deploy } from "../../scripts/core/schema/deploy.ts";
import { incidentFrontmatter } from "../../scripts/core/schema/incident.ts";
import { issueMarkdown } from "../../scripts/notify/github.ts";
import { paymentsDown } from "../alerts/fixtures.ts";

const settings = (input: Record<string, unknown> = {}) => deploy.parse(input);
const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

describe("the topology at run time", () => {
  test("private by default; issues are internal in a private repository and owner-safe in a public one unless said otherwise", () => {
    expect(settings()).toMatchObject({ repository: "private", site: { to: "pages" }, probing: "github-hosted", heartbeats: "dispatch", room: { recipients: [] } });
    expect(issueFields(settings())).toBe("internal");
    expect(issueFields(settings({ repository: "public" }))).toBe("owner-safe");
    expect(issueFields(settings({ repository: "public", issues: "internal" }))).toBe("internal");
    // A repository GitHub reports public is public, whatever the configuration says.
    expect(issueFields(settings(), "public")).toBe("owner-safe");
  });

  test("a private configuration in a public repository commits nothing; a public one says so first", () => {
    expect(commitGuard(settings(), "private")).toEqual({});
    expect(commitGuard(settings(), undefined)).toEqual({});
    expect(commitGuard(settings(), "public").refuse).toMatch(/^This repository is public, but deploy\.repository in checks\/signalroom\.yaml says private: nothing was committed/);
    expect(commitGuard(settings({ repository: "public" }), "public").notice).toMatch(/^This repository is public \(deploy\.repository: public\): what this run commits/);
  });

  test("the room: encrypted to its recipients, plain only from a private repository, never uploaded readable from a public one", () => {
    expect(roomArchive(settings()).mode).toBe("plain");
    expect(roomArchive(settings({ room: { recipients: [RECIPIENT] } })).mode).toBe("encrypted");
    expect(roomArchive(settings({ repository: "public" })).mode).toBe("withheld");
    expect(roomArchive(settings(), "public").mode).toBe("withheld");
    expect(roomArchive(settings({ repository: "public", room: { recipients: [RECIPIENT] } })).mode).toBe("encrypted");
  });

  test("the settings say what is wrong with them", () => {
    expect(deploy.safeParse({ site: { to: "repository" } }).error?.issues.map((issue) => issue.path.join("."))).toEqual(["site.repository"]);
    expect(deploy.safeParse({ room: { recipients: ["AGE-SECRET-KEY-1XYZ"] } }).error?.issues[0]?.message).toBe("must be an age public key (age1…, from age-keygen)");
    expect(deploy.safeParse({ repository: "internal" }).success).toBe(false);
  });
});

describe("owner-safe issues", () => {
  test("the github route's issue leaves out the lead, the evidence and the runbook's next steps", () => {
    const internal = issueMarkdown(paymentsDown, "internal");
    const safe = issueMarkdown(paymentsDown, "owner-safe");
    expect(internal).toContain("- **LEAD:** Operations");
    expect(internal).toContain("- **EVIDENCE:** down for 2 consecutive runs: stripe-webhook");
    expect(internal).toContain("Check Stripe's webhook delivery status");
    for (const hidden of ["Operations", "down for 2 consecutive runs", "Check Stripe's webhook delivery status", "**Next steps**"]) expect(safe).not.toContain(hidden);
    expect(safe).toContain("- **STATUS:** Investigating");
    expect(safe).toContain("- **STARTED:** 2026-11-16 10:45 UTC");
  });

  test("the mirror's issue leaves out the commander", () => {
    const fm = incidentFrontmatter.parse({ id: "2026-11-16-payments", title: "Payments delayed", severity: "SEV-2", status: "identified", providers: ["payment-webhooks"], commander: "alice-oncall", started: "2026-11-16T10:45:00Z" });
    const names = new Map([["payment-webhooks", "Payments"]]);
    expect(incidentIssue(fm, "incidents/2026-11-16-payments.md", names, "internal").body).toContain("- **Commander:** alice-oncall");
    expect(incidentIssue(fm, "incidents/2026-11-16-payments.md", names, "owner-safe").body).not.toContain("alice-oncall");
  });
});
