import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace, put } from "../helpers/workspace.ts";

const md = (...lines: string[]) => `${lines.join("\n")}\n`;
const HEAD = ["id: inc", "title: Slow payments", "severity: SEV-2", "providers: [payment-webhooks]"];

/** One incident file per kind of mistake; `npm run validate` must name file, line and field for each. */
const CASES: Record<string, string> = {
  "no-frontmatter": md("# Just a heading", "", "No frontmatter at all."),
  "unclosed-fence": md("---", "id: unclosed-fence", "title: Never closed", "body text"),
  "yaml-syntax": md("---", "id: yaml-syntax", "title: [unbalanced", "---"),
  "duplicate-key": md("---", "id: duplicate-key", "title: One", "title: Two", "severity: SEV-3", "status: investigating", "providers: [resend]", "---"),
  "unknown-field": md("---", "id: unknown-field", "title: Typo", "severity: SEV-3", "status: investigating", "providers: [resend]", "comander: alice", "---"),
  "wrong-enum": md("---", "id: wrong-enum", "title: Bad status", "severity: SEV-3", "status: investigatin", "providers: [resend]", "impact: huge", "---"),
  "bad-time": md("---", "id: bad-time", "title: Local time", "severity: SEV-3", "status: investigating", "providers: [resend]", "started: 2026-11-16 10:45", "---"),
  "missing-required": md("---", "id: missing-required", "severity: SEV-3", "status: investigating", "---"),
  "wrong-type": md("---", "id: wrong-type", "title: Types", "severity: SEV-3", "status: investigating", "providers: resend", "updates: yes", "---"),
  "bad-nested": md(
    "---",
    "id: bad-nested",
    "title: Nested",
    "severity: SEV-3",
    "status: investigating",
    "providers: [resend]",
    "updates:",
    "  - at: 2026-11-16T10:45:00Z",
    "    status: investigating",
    "prevention:",
    "  - task: Add a check",
    "    due: next week",
    "---",
  ),
  "id-mismatch": md("---", "id: another-name", "title: Renamed", "severity: SEV-3", "status: investigating", "providers: [resend]", "---"),
  "status-kind": md("---", "id: status-kind", "title: Upgrade", "kind: maintenance", "status: investigating", "providers: [resend]", "---"),
  "no-schedule": md("---", "id: no-schedule", "title: Upgrade", "kind: maintenance", "status: scheduled", "providers: [resend]", "---"),
  "no-severity": md("---", "id: no-severity", "title: Severity?", "status: investigating", "providers: [resend]", "---"),
  "out-of-order": md(
    "---",
    "id: out-of-order",
    "title: Time travel",
    "severity: SEV-3",
    "status: resolved",
    "providers: [resend]",
    "started: 2026-11-16T10:45:00Z",
    "detected: 2026-11-16T10:40:00Z",
    "resolved: 2026-11-16T10:50:00Z",
    "---",
  ),
  "resolved-mismatch": md("---", "id: resolved-mismatch", "title: Half done", "severity: SEV-3", "status: monitoring", "providers: [resend]", "resolved: 2026-11-16T10:50:00Z", "---"),
  "component-mismatch": md("---", "id: component-mismatch", "title: Wrong component", "severity: SEV-3", "status: investigating", "providers: [resend]", "components:", "  better-auth: major_outage", "---"),
};

describe("malformed incident frontmatter", () => {
  test("every kind of mistake gets a file:line:col error naming the field, all in one run", async () => {
    const root = await exampleWorkspace();
    for (const [name, text] of Object.entries(CASES)) await put(root, `incidents/${name}.md`, text);
    const result = await runCli(["validate", "--root", root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "incidents/bad-nested.md:8:5 updates[0].message: is required
      incidents/bad-nested.md:11:5 prevention[0].owner: is required
      incidents/bad-nested.md:12:10 prevention[0].due: must be a date such as 2026-11-20
      incidents/bad-time.md:7:10 started: must be a date and time with a time zone, such as 2026-11-16T10:45:00Z
      incidents/component-mismatch.md:8:3 components.better-auth: "better-auth" is not one of this incident's providers
      incidents/duplicate-key.md:4:1 YAML syntax: Map keys must be unique
      incidents/id-mismatch.md:2:5 id: must equal the file name: rename the file to another-name.md or the id to "id-mismatch"
      incidents/missing-required.md:2:1 title: is required
      incidents/missing-required.md:2:1 providers: is required
      incidents/no-frontmatter.md:1:1 must start with YAML frontmatter between --- lines
      incidents/no-schedule.md:2:1 scheduledFor: maintenance needs scheduledFor and scheduledUntil, or a recurrence
      incidents/no-severity.md:2:1 severity: is required for incidents (SEV-1 … SEV-4)
      incidents/out-of-order.md:8:11 detected: is before started
      incidents/resolved-mismatch.md:5:9 status: must be resolved when \`resolved\` is set
      incidents/status-kind.md:2:1 scheduledFor: maintenance needs scheduledFor and scheduledUntil, or a recurrence
      incidents/status-kind.md:5:9 status: maintenance status must be scheduled | in_progress | verifying | completed
      incidents/unclosed-fence.md:1:1 the frontmatter opened on line 1 is never closed by a --- line
      incidents/unknown-field.md:7:1 comander: unknown field (did you mean "commander"?)
      incidents/wrong-enum.md:5:9 status: expected investigating | identified | monitoring | resolved | scheduled | in_progress | verifying | completed, received "investigatin" (did you mean "investigating"?)
      incidents/wrong-enum.md:7:9 impact: expected none | minor | major | critical, received "huge"
      incidents/wrong-type.md:6:12 providers: expected a list, received "resend"
      incidents/wrong-type.md:7:10 updates: expected a list, received "yes"
      incidents/yaml-syntax.md:4:1 YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]
      ✗ 23 errors; nothing was written.
      "
    `);
  });

  test("the close gate: a closed incident names every missing piece at its `closed` line", async () => {
    const root = await exampleWorkspace();
    await put(root, "incidents/inc.md", md("---", ...HEAD, "status: monitoring", "closed: 2026-11-16T12:00:00Z", "---"));
    const result = await runCli(["validate", "--root", root]);
    expect(result.stderr).toMatchInlineSnapshot(`
      "incidents/inc.md:7:9 closed: the close gate is not met: resolved: set the time service was fully restored (status resolved)
      incidents/inc.md:7:9 closed: the close gate is not met: updates: add the timeline: at least one public update
      incidents/inc.md:7:9 closed: the close gate is not met: summary: add the owner-safe explanation of what happened
      incidents/inc.md:7:9 closed: the close gate is not met: evidence: add at least one item showing the problem (a link, or a check and time)
      incidents/inc.md:7:9 closed: the close gate is not met: prevention: add at least one prevention task with an owner
      incidents/inc.md:7:9 closed: the close gate is not met: postmortem: a SEV-2 needs a post-mortem: summary, rootCause and at least one action item
      ✗ 6 errors; nothing was written.
      "
    `);

    await put(
      root,
      "incidents/inc.md",
      md(
        "---",
        ...HEAD,
        "status: resolved",
        "resolved: 2026-11-16T11:00:00Z",
        "closed: 2026-11-16T12:00:00Z",
        "summary: Payments were slow.",
        "updates:",
        "  - { at: 2026-11-16T11:00:00Z, status: resolved, message: Fixed. }",
        "evidence: [{ note: P95 8 s }]",
        "prevention: [{ task: Add a check, owner: ops }]",
        "postmortem: { summary: Slow., rootCause: Load. }",
        "---",
      ),
    );
    expect((await runCli(["validate", "--root", root])).stderr).toMatchInlineSnapshot(`
      "incidents/inc.md:8:9 closed: the close gate is not met: postmortem.actionItems: add at least one action item
      ✗ 1 error; nothing was written.
      "
    `);
  });

  test("SEV-3 and SEV-4 close without a post-mortem; maintenance has no gate", async () => {
    const root = await exampleWorkspace();
    const closed = (severity: string) =>
      md(
        "---",
        "id: inc",
        "title: Slow",
        `severity: ${severity}`,
        "providers: [resend]",
        "status: resolved",
        "resolved: 2026-11-16T11:00:00Z",
        "closed: 2026-11-16T12:00:00Z",
        "summary: Emails were late.",
        "updates: [{ at: 2026-11-16T11:00:00Z, status: resolved, message: Fixed. }]",
        "evidence: [{ note: queue depth 900 }]",
        "prevention: [{ task: Alert on queue depth, owner: growth }]",
        "---",
      );
    await put(root, "incidents/inc.md", closed("SEV-3"));
    expect((await runCli(["validate", "--root", root])).code).toBe(0);
    await put(root, "incidents/inc.md", closed("SEV-2"));
    expect((await runCli(["validate", "--root", root])).stderr).toContain(
      "closed: the close gate is not met: postmortem: a SEV-2 needs a post-mortem: summary, rootCause and at least one action item",
    );
  });
});
