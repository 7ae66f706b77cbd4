import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace, put } from "../helpers/workspace.ts";

let clock = manualClock("2026-11-16T10:47:00Z");
const cli = (root: string, ...args: string[]) => runCli(["incident", ...args, "--root", root], {}, { clock });
beforeEach(() => {
  clock = manualClock("2026-11-16T10:47:00Z");
});
const ID = "2026-11-16-printful-api-slow-response";

async function files(root: string): Promise<string[]> {
  return readdir(join(root, "incidents"));
}

describe("npm run incident", () => {
  test("round trip: new → update → ack → resolve; each step prints what changed and the files stay valid", async () => {
    const root = await exampleWorkspace();
    clock.set("2026-11-16T10:47:00Z");
    const created = await cli(root, "new", "--title", "Printful API slow response", "--severity", "SEV-2", "--providers", "payment-webhooks", "--impact", "minor", "--component", "payment-webhooks=degraded_performance", "--started", "2026-11-16T10:45:00Z");
    expect(created.stderr).toBe("");
    expect(created.stdout).toBe(`✓ Created incidents/${ID}.md\n  created ${ID} (incident, SEV-2, investigating)\n`);

    clock.set("2026-11-16T10:52:00Z");
    const update = await cli(root, "update", ID, "--status", "identified", "--template", "progress");
    expect(update.stdout).toMatchInlineSnapshot(`
      "✓ Updated incidents/2026-11-16-printful-api-slow-response.md
        status: "investigating" → "identified"
        updates: + identified "We have identified the cause and are working on a fix. So…"
        acknowledged: set to "2026-11-16T10:52:00Z"
      "
    `);
    clock.set("2026-11-16T10:53:00Z");
    expect((await cli(root, "ack", "2026-11-16-printful", "--by", "alice")).stdout).toContain('commander: set to "alice"');
    clock.set("2026-11-16T11:37:00Z");
    const resolved = await cli(root, "resolve", ID);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain('resolved: set to "2026-11-16T11:37:00Z"');

    const text = await readFile(join(root, "incidents", `${ID}.md`), "utf8");
    expect(text).toContain("acknowledged: 2026-11-16T10:52:00Z");
    expect(text).toContain(
      "message: Between 10:45 UTC and 11:37 UTC, Payments was degraded. The problem is resolved and service is operating normally. No action is required from you.",
    );
    expect(text).toMatch(/\n---\n\n## What we know\n/);
    const validate = await runCli(["validate", "--root", root]);
    expect(validate.code).toBe(0);

    const list = await cli(root, "list");
    expect(list.stdout).toContain(`${ID}  SEV-2  resolved  2026-11-16 10:45  payment-webhooks  Printful API slow response`);
    expect((await cli(root, "list", "--open")).stdout).toBe("No open incidents.\n");
  });

  test("close refuses with the exact list of what the close gate misses, then closes once it is met", async () => {
    const root = await exampleWorkspace();
    await cli(root, "new", "--title", "Printful API slow response", "--severity", "SEV-2", "--providers", "payment-webhooks");
    const refused = await cli(root, "close", ID);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatchInlineSnapshot(`
      "✗ 2026-11-16-printful-api-slow-response cannot be closed yet:
        - resolved: set the time service was fully restored (status resolved)
        - updates: end the timeline with a public update announcing resolved
        - summary: add the owner-safe explanation of what happened
        - evidence: add at least one item showing the problem (a link, or a check and time)
        - prevention: add at least one prevention task with an owner
        - postmortem: a SEV-2 needs a post-mortem: summary, rootCause and at least one action item
      "
    `);
    const file = join(root, "incidents", `${ID}.md`);
    const before = await readFile(file, "utf8");
    await cli(root, "resolve", ID);
    const resolvedText = await readFile(file, "utf8");
    expect(resolvedText).not.toBe(before);
    await put(
      root,
      `incidents/${ID}.md`,
      resolvedText.replace(
        "\n---\n",
        [
          "",
          "summary: Card payments were slow for 50 minutes because our fulfilment partner was overloaded.",
          "evidence:",
          "  - note: P95 latency 8 s",
          "    check: stripe-webhook",
          "prevention:",
          "  - task: Watch the partner's status page",
          "    owner: ops",
          "postmortem:",
          "  summary: Partner overload.",
          "  rootCause: Peak load at the partner.",
          "  actionItems:",
          "    - task: Tune the failover threshold",
          "      owner: eng2",
          "---",
          "",
        ].join("\n"),
      ),
    );
    const closed = await cli(root, "close", ID);
    expect(closed.stderr).toBe("");
    expect(closed.stdout).toBe(`✓ Updated incidents/${ID}.md\n  closed: set to "2026-11-16T10:47:00Z"\n`);
    expect((await runCli(["validate", "--root", root])).code).toBe(0);
  });

  test("maintenance: scheduled window, maintenance statuses, resolve completes it", async () => {
    const root = await exampleWorkspace();
    const created = await cli(root, "new", "--kind", "maintenance", "--title", "Database upgrade", "--providers", "postgres-database", "--from", "2026-11-20T22:00:00Z", "--until", "2026-11-20T23:30:00Z", "--component", "postgres-database=under_maintenance");
    expect(created.code).toBe(0);
    expect(await files(root)).toEqual(["2026-11-20-database-upgrade.md"]);
    expect((await cli(root, "update", "2026-11-20-database-upgrade", "--status", "investigating")).stderr).toBe(
      '--status must be one of scheduled, in_progress, verifying, completed, not "investigating".\n',
    );
    expect((await cli(root, "update", "2026-11-20-database-upgrade", "--status", "in_progress")).code).toBe(0);
    expect((await cli(root, "resolve", "2026-11-20-database-upgrade")).stdout).toContain('status: "in_progress" → "completed"');
    expect((await runCli(["validate", "--root", root])).code).toBe(0);
  });

  test("bad input: one clear sentence, exit 1, nothing written", async () => {
    const root = await exampleWorkspace();
    const missing = await cli(root, "new", "--title", "No severity", "--providers", "payment-webhooks");
    expect(missing).toMatchObject({ code: 1, stderr: "--severity is required (severity (sev-1 … sev-4)).\n" });
    const unknown = await cli(root, "new", "--title", "Typo", "--severity", "SEV-3", "--providers", "payment-webhook");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('incidents/2026-11-16-typo.md would not be valid, nothing was written:\n  providers[0]: unknown provider "payment-webhook"\n');
    expect((await cli(root, "new", "--title", "x", "--severity", "SEV-9", "--providers", "resend")).stderr).toBe(
      '--severity must be one of SEV-1, SEV-2, SEV-3, SEV-4, not "SEV-9".\n',
    );
    expect((await cli(root, "ack", "nope")).stderr).toBe('No incident "nope" in incidents/ (see `npm run incident -- list`).\n');
    expect((await cli(root, "frobnicate")).stderr).toBe('Say what to do: npm run incident -- new | update | ack | resolve | close | list (got "frobnicate").\n');
    expect(await files(root)).toEqual([]);
  });
});
