import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { carryDeliveries } from "../../scripts/core/alerts/outbox.ts";
import { cycleHeadline } from "../../scripts/core/commit-policy.ts";
import { mayCommand, parseCommand, trustedAuthor } from "../../scripts/core/incident-issue.ts";
import type { Notification } from "../../scripts/core/schema/records.ts";
import { describeRun, hydrate } from "../../scripts/gitops/pending.ts";
import { shardCoverage } from "../../scripts/probe-shards.ts";
import { put, tempDir } from "../helpers/workspace.ts";

describe("commit headlines say what happened, for people", () => {
  test("transitions, alerts, incidents and notifications, in that order; nothing happened is no headline", () => {
    expect(
      cycleHeadline({
        transitions: [{ check: "stripe-webhook", to: "down" }],
        alerts: [{ rule: "stripe-webhook-down", type: "fired" }],
        incidents: [{ id: "2026-11-16-1045-stripe-webhook-down", opened: true, changes: [] }],
        notifications: [
          { route: "oncall-pager", ok: true },
          { route: "ops-discord", ok: false },
        ],
      }),
    ).toBe("stripe-webhook down; alert stripe-webhook-down fired; opened incident 2026-11-16-1045-stripe-webhook-down; notified oncall-pager; notification to ops-discord failed");
    expect(cycleHeadline({ transitions: [], alerts: [{ rule: "r", type: "escalated", step: 2 }], incidents: [{ id: "i", opened: false, changes: ["status: monitoring → resolved"] }], notifications: [] })).toBe(
      "alert r escalated (step 2); resolved incident i",
    );
    expect(cycleHeadline({ transitions: [], alerts: [], incidents: [], notifications: [] })).toBeUndefined();
  });

  test("a long list is cut with how many more", () => {
    const transitions = Array.from({ length: 20 }, (_, index) => ({ check: `check-number-${index}`, to: "down" }));
    const headline = cycleHeadline({ transitions, alerts: [], incidents: [], notifications: [] })!;
    expect(headline.length).toBeLessThanOrEqual(200);
    expect(headline).toMatch(/^check-number-0 down; check-number-1 down; .*; and 1\d more$/);
  });
});

describe("issue commands", () => {
  test("/ack and /update <text> at the start of a comment, nothing else", () => {
    expect(parseCommand("/ack")).toEqual({ verb: "ack" });
    expect(parseCommand("  /ACK  on it\n")).toEqual({ verb: "ack" });
    expect(parseCommand("/update We rolled back.\r\nMore soon.")).toEqual({ verb: "update", message: "We rolled back.\nMore soon." });
    expect(parseCommand("/update")).toEqual({ verb: "update", message: "" });
    expect(parseCommand("/updates are great")).toBeUndefined();
    expect(parseCommand("Please /ack this")).toBeUndefined();
    expect(["OWNER", "member", "COLLABORATOR"].map(trustedAuthor)).toEqual([true, true, true]);
    expect(["CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"].map(trustedAuthor)).toEqual([false, false, false]);
  });

  test("commands count from people who may push: admins, maintainers and writers, not readers or triagers", () => {
    expect(["admin", "maintain", "write"].every(mayCommand)).toBe(true);
    expect(["triage", "read", "none", ""].some(mayCommand)).toBe(false);
  });
});

describe("the merge step's view of the matrix", () => {
  test("missing shards per region, two files for one shard, and splits that disagree", () => {
    const file = (region: string, index: number, count: number, name = `${region}-${index}.json`) => ({ region, shard: { index, count }, file: name });
    expect(shardCoverage([file("eu", 1, 3), file("eu", 3, 3), file("us", 1, 2), file("us", 2, 2)])).toEqual({ missing: ["eu shard 2 of 3"], conflicts: [] });
    expect(shardCoverage([file("eu", 1, 2), file("eu", 1, 2, "copy.json"), file("eu", 2, 2)]).conflicts).toEqual(["eu shard 1 of 2 is in two files: eu-1.json and copy.json"]);
    expect(shardCoverage([file("eu", 1, 2), file("eu", 2, 4)]).conflicts).toEqual(["eu was split in different ways (2 shards, 4 shards)"]);
    expect(shardCoverage([{ region: "eu", file: "eu.json" }])).toEqual({ missing: [], conflicts: [] });
  });
});

describe("results waiting between commits", () => {
  test("a rewritten file is put back only over what it was made from, so it never undoes a newer commit", async () => {
    const root = await tempDir();
    await put(root, "checks/state.json", "S0\n");
    await put(root, "checks/results/local/2026-11-20.ndjson", "a\n");
    const before = new Map([
      ["checks/state.json", "S0\n"],
      ["checks/results/local/2026-11-20.ndjson", "a\n"],
    ]);
    await writeFile(join(root, "checks/state.json"), "S1\n");
    await writeFile(join(root, "checks/results/local/2026-11-20.ndjson"), "a\nb\n");
    const run = (await describeRun(root, "r1", "2026-11-20T10:01:00.000Z", before))!;
    expect(run).toMatchObject({ appends: { "checks/results/local/2026-11-20.ndjson": ["b"] }, snapshots: { "checks/state.json": "S1\n" } });

    // On a tree still at S0 the run applies; on one where an operator committed S0' since, only its lines do.
    await writeFile(join(root, "checks/state.json"), "S0\n");
    await writeFile(join(root, "checks/results/local/2026-11-20.ndjson"), "a\n");
    expect(await hydrate(root, [run])).toEqual(["checks/results/local/2026-11-20.ndjson", "checks/state.json"]);
    expect(await readFile(join(root, "checks/state.json"), "utf8")).toBe("S1\n");
    await writeFile(join(root, "checks/state.json"), "S0 with an acknowledgement\n");
    await writeFile(join(root, "checks/results/local/2026-11-20.ndjson"), "a\n");
    expect(await hydrate(root, [run])).toEqual(["checks/results/local/2026-11-20.ndjson"]);
    expect(await readFile(join(root, "checks/state.json"), "utf8")).toBe("S0 with an acknowledgement\n");
    expect(await readFile(join(root, "checks/results/local/2026-11-20.ndjson"), "utf8")).toBe("a\nb\n");
  });

  test("an outbox recorded again on another tree keeps what the first attempt delivered", () => {
    const entry = (key: string, status: Notification["status"], attempts: number): Notification => ({
      key,
      route: "ops",
      createdAt: "2026-11-20T10:00:00.000Z",
      severity: "high",
      title: key,
      items: [{ id: `${key}/trigger`, alert: key, kind: "trigger", severity: "high", title: key, status: "Investigating", impact: "", startedAt: "2026-11-20T10:00:00.000Z", lead: "ops", next: [], providers: [] }],
      status,
      attempts,
      delivered: [],
    });
    const replanned = [entry("new", "pending", 0), entry("winner-sent", "sent", 1), entry("retrying", "retrying", 2)];
    const earlier = [entry("new", "sent", 1), entry("retrying", "retrying", 3), entry("gone", "sent", 1)];
    expect(carryDeliveries(replanned, earlier).map((item) => [item.key, item.status, item.attempts])).toEqual([
      ["new", "sent", 1],
      ["winner-sent", "sent", 1],
      ["retrying", "retrying", 3],
    ]);
  });
});
