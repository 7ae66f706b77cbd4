/**
 * What validate says about what probe runs stored, and the warnings that do not stop anything: damaged
 * lines are skipped by every reader, so they are warnings naming the file and line with how to recover.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { edit, exampleWorkspace, put } from "../helpers/workspace.ts";

describe("validate reads what probe runs stored", () => {
  test("damaged results and run-log lines, rollups and heartbeats are warnings with how to recover", async () => {
    const root = await exampleWorkspace();
    const line = JSON.stringify({ run: "r1", region: "local", at: "2026-11-16T10:45:00.000Z", samples: [{ check: "stripe-webhook", state: "up", latencyMs: 120 }] });
    await put(root, "checks/results/local/2026-11-16.ndjson", `${line}\n${line.slice(0, 40)}\n${line}\n{"run":"r2","region":"local","at":"2026-11-16T10:50:00.000Z","samples":[{"check":"stripe-webhook","state":"sideways"}]}\n`);
    await put(root, "checks/logs/local/2026-11-16.ndjson", '{"at":"2026-11-16T10:45:00Z","level":"info"}\n');
    await put(root, "checks/rollups/stripe-webhook.json", '{"check":"stripe-webhook",\n"hourly":[\n  {"start":"2026-11-16T10:00:00.000Z","count":"many"}\n],\n"daily":[\n]}\n');
    await put(root, "checks/heartbeats/ai-log-heartbeat.json", "not json");
    const result = await runCli(["validate", "--root", root]);
    expect(result.stderr).toMatchInlineSnapshot(`
      "checks/results/local/2026-11-16.ndjson:2:1 warning: 2 results lines cannot be read (the first is here), so every reader skips them (not valid JSON (a truncated write?)); delete the damaged lines or restore the file from git history
      checks/logs/local/2026-11-16.ndjson:1:1 warning: this run-log line cannot be read, so every reader skips it (service: is required); delete the damaged lines or restore the file from git history
      checks/rollups/stripe-webhook.json:3:1 warning: unreadable rollup entry skipped; the next probe run rewrites the file from the entries it could read and the samples still kept (restore it from git history to keep older days)
      checks/heartbeats/ai-log-heartbeat.json:1:1 warning: is not valid JSON; record a new heartbeat to replace it
      "
    `);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/are valid \(4 warnings\)\.$/m);
  });

  test("a timeout longer than the cadence and a stray file among the providers are warnings", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/providers/health-endpoint.yaml", "latencyObjective: 400ms", "latencyObjective: 400ms\n    cadence: 30s\n    timeout: 1m");
    await writeFile(join(root, "checks/providers/README.md"), "Notes about providers\n");
    await mkdir(join(root, "checks/providers/archive"));
    const result = await runCli(["validate", "--root", root]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("checks/providers/README.md warning: is not read: only *.yaml files in checks/providers are providers\n");
    expect(result.stderr).toContain("checks/providers/archive warning: is not read: only *.yaml files in checks/providers are providers\n");
    expect(result.stderr).toMatch(/^checks\/providers\/health-endpoint\.yaml:\d+:\d+ checks\[0\]\.timeout: warning: 1m is longer than the check's cadence of 30s: a slow attempt would still run when the next one is due; keep the timeout below the cadence$/m);
  });
});
