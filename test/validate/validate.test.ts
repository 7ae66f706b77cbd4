import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { edit, exampleWorkspace, put, REPO } from "../helpers/workspace.ts";

async function snapshotTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(path, `${(await stat(path)).mtimeMs}:${await readFile(path, "utf8")}`);
    }
  };
  await walk(root);
  return files;
}

describe("npm run validate", () => {
  test("the repository's example configuration is valid", async () => {
    const result = await runCli(["validate", "--root", REPO]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^✓ 12 providers, \d+ checks, \d+ alert rules and \d+ incidents? are valid\.\n$/);
    expect(result.code).toBe(0);
  });

  test("shape errors: every problem in one run, with file, line, column and field, and nothing written", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/providers/postgres-database.yaml", "kind: system", "kind: sytem");
    await edit(root, "checks/providers/postgres-database.yaml", "protects:", "protect:");
    await edit(root, "checks/providers/better-auth.yaml", "type: http", "type: htp");
    await edit(root, "checks/providers/health-endpoint.yaml", "latencyObjective: 400ms", "latencyObjective: fast");
    await edit(root, "checks/providers/payment-webhooks.yaml", "expectStatus: [200, 405]", "expectStatus: [200, 999]");
    await edit(root, "checks/alert-rules.yaml", "severity: warning", "severity: warn");
    await edit(root, "checks/signalroom.yaml", "title: Signalroom status", "title: ''");
    await edit(root, "checks/signalroom.yaml", "  retries: 1", "  retries: many");
    await put(
      root,
      "incidents/2026-11-16-printful.md",
      ["---", "id: 2026-11-16-printful", "title: Printful slow", "severity: SEV-5", "status: resolved", "providers: [payment-webhooks]", "started: yesterday", "---", "Body", ""].join("\n"),
    );
    const before = await snapshotTree(root);
    const result = await runCli(["validate", "--root", root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatchInlineSnapshot(`
      "checks/alert-rules.yaml:63:15 rules[5].severity: expected critical | high | warning | info, received "warn" (did you mean "warning"?)
      checks/providers/better-auth.yaml:19:11 checks[0].type: expected http | json | tcp | tls | dns | postgres | statuspage | heartbeat, received "htp" (did you mean "http"?)
      checks/providers/health-endpoint.yaml:22:23 checks[0].latencyObjective: must be a duration such as 500ms, 30s, 5m, 2h or 7d
      checks/providers/payment-webhooks.yaml:46:25 checks[0].expectStatus[1]: must be at most 599, received 999
      checks/providers/postgres-database.yaml:6:7 kind: expected system | integration | api | webhook, received "sytem" (did you mean "system"?)
      checks/providers/postgres-database.yaml:8:1 protect: unknown field (did you mean "protects"?)
      checks/signalroom.yaml:4:10 page.title: must not be empty
      checks/signalroom.yaml:30:12 defaults.retries: expected a number, received "many"
      incidents/2026-11-16-printful.md:4:11 severity: expected SEV-1 | SEV-2 | SEV-3 | SEV-4, received "SEV-5"
      incidents/2026-11-16-printful.md:7:10 started: must be a date and time with a time zone, such as 2026-11-16T10:45:00Z
      ✗ 10 errors; nothing was written.
      "
    `);
    expect(await snapshotTree(root)).toEqual(before);
  });

  test("cross-file rules: unknown lane, route, check, provider and policy; duplicate ids; kind fields", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/providers/members-api.yaml", "lane: api", "lane: apis");
    await edit(root, "checks/providers/resend.yaml", "protects: Lead", "consumer: Lead");
    await edit(root, "checks/providers/better-auth.yaml", "id: auth-session", "id: health-endpoint");
    await edit(root, "checks/providers/bookings-api.yaml", "id: bookings-api", "id: booking-api");
    await edit(root, "checks/alert-rules.yaml", "checks: [order-scenario]", "checks: [order-scenarioo]");
    await edit(root, "checks/alert-rules.yaml", "providers: [payment-webhooks]", "providers: [payment-webhook]");
    await edit(root, "checks/alert-rules.yaml", "id: api-latency-p95", "id: stripe-webhook-down");
    await edit(root, "checks/signalroom.yaml", "warning: [ops-discord]", "warning: [ops-discrod]");
    await edit(root, "checks/signalroom.yaml", "defaultEscalationPolicy: default", "defaultEscalationPolicy: standard");
    await put(
      root,
      "incidents/inc-1.md",
      ["---", "id: inc-1", "title: Slow payments", "severity: SEV-2", "status: investigating", "providers: [payments]", "components:", "  resend: major_outage", "---", ""].join("\n"),
    );
    const result = await runCli(["validate", "--root", root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "checks/alert-rules.yaml:30:14 rules[2].checks[0]: unknown check "order-scenarioo"
      checks/alert-rules.yaml:43:17 rules[3].providers[0]: unknown provider "payment-webhook"
      checks/alert-rules.yaml:61:9 rules[5].id: duplicate rule id "stripe-webhook-down"
      checks/providers/bookings-api.yaml:2:5 id: must equal the file name: rename the file to booking-api.yaml or the id to "bookings-api"
      checks/providers/health-endpoint.yaml:18:9 checks[0].id: duplicate check id "health-endpoint" (also in checks/providers/better-auth.yaml)
      checks/providers/members-api.yaml:4:7 lane: unknown lane "apis" (lanes: payments, webhook, api, identity, messaging, reporting, infrastructure)
      checks/providers/resend.yaml:2:1 protects: is required for integration providers
      checks/providers/resend.yaml:8:1 consumer: is for api providers; integration providers use protects
      checks/signalroom.yaml:85:13 severityRoutes.warning[0]: unknown route "ops-discrod" (routes: oncall-pager, backup-pager, lead-email, founder-telegram, ops-discord, ops-email, incident-issues)
      checks/signalroom.yaml:104:26 defaultEscalationPolicy: unknown escalation policy "standard"
      incidents/inc-1.md:6:13 providers[0]: unknown provider "payments"
      incidents/inc-1.md:8:3 components.resend: "resend" is not one of this incident's providers
      ✗ 12 errors; nothing was written.
      "
    `);
  });

  test("public-page warnings: a maintenance not yet announced, and links that are not http(s) are refused", async () => {
    const root = await exampleWorkspace();
    await put(root, "incidents/silent-window.md", "---\nid: silent-window\ntitle: Upgrade\nkind: maintenance\nstatus: scheduled\nproviders: [better-auth]\nscheduledFor: 2026-12-01T02:00:00Z\nscheduledUntil: 2026-12-01T03:00:00Z\n---\n");
    await edit(root, "checks/providers/postgres-database.yaml", /\nevidence:\n  note: ([^\n]*)/, '\nevidence:\n  note: $1\n  links:\n    - title: Dashboard\n      url: "data:text/html,<script>alert(1)</script>"');
    const result = await runCli(["validate", "--root", root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^checks\/providers\/postgres-database\.yaml:\d+:\d+ evidence\.links\[0\]\.url: must be an http:\/\/ or https:\/\/ address$/m);
    expect(result.stderr).toMatch(/^incidents\/silent-window\.md:\d+:\d+ updates: warning: is empty: a maintenance is public from its first update \(its announcement\); add one with npm run incident -- update$/m);
  });
});
