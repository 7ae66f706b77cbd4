import { manualClock } from "../../scripts/core/clock.ts";
import { resolveCheck } from "../../scripts/core/model.ts";
import type { LogEntry, Sample } from "../../scripts/core/schema/records.ts";
import { sample as sampleSchema, logEntry } from "../../scripts/core/schema/records.ts";
import { probeChecks, type ProbeRunOptions } from "../../scripts/probes/runner.ts";
import { check as checkSchema, configFile } from "../../scripts/schemas.ts";
import type { ResolvedCheck } from "../../scripts/workspace.ts";

export const NOW = "2026-11-16T10:45:00.000Z";

const DEFAULTS = configFile.shape.defaults.parse({ timeout: "5s", retries: 0 });

/** A check as the workspace loader would hand it over: validated by the real schema, defaults filled in. */
export function makeCheck(input: Record<string, unknown>): ResolvedCheck {
  return resolveCheck(checkSchema.parse({ id: "probe-under-test", ...input }), "test-provider", DEFAULTS);
}

export interface Probed {
  samples: Sample[];
  log: LogEntry[];
}

/** Runs the real runner over the checks; every sample and log entry must match its file schema. */
export async function run(checks: ResolvedCheck[], options: Partial<ProbeRunOptions> = {}): Promise<Probed> {
  const result = await probeChecks({
    checks,
    env: {},
    clock: manualClock(NOW),
    region: "test-region",
    runId: "run-1",
    root: options.root ?? "/nonexistent",
    concurrency: 4,
    budgetMs: 60_000,
    ...options,
  });
  for (const sample of result.samples) sampleSchema.parse(sample);
  for (const entry of result.log) logEntry.parse(entry);
  return result;
}

/** Probes one check described by its YAML fields. */
export async function probeOne(input: Record<string, unknown>, options: Partial<ProbeRunOptions> = {}): Promise<Sample & { log: LogEntry[] }> {
  const { samples, log } = await run([makeCheck(input)], options);
  return { ...samples[0]!, log };
}
