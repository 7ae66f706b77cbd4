/**
 * Every step of our workflows that calls our CLI (`npm run …`, or CI's script), and the scenario that runs
 * it in the workflow runner. workflows.test.ts fails when a workflow gains such a step that no scenario
 * claims; each scenario fails when a step it claims did not run.
 */
import { expect } from "vitest";
import type { WorkflowRun } from "./runner.ts";

export const CLI_STEPS: Record<string, string> = {
  "probe.yml › probe › Probe the due checks and publish": "probe-site.test.ts",
  "site.yml › build › Read where the site goes (deploy in checks/signalroom.yaml)": "probe-site.test.ts",
  "site.yml › build › Run npm run build": "probe-site.test.ts",
  "site.yml › build › Pack the operations room": "probe-site.test.ts",
  "watchdog.yml › watchdog › Check that probe runs land; open, update or close the watchdog issue": "operations.test.ts",
  "validate.yml › validate › Run npm run validate": "operations.test.ts",
  "heartbeat.yml › heartbeat › Record the heartbeat and publish it": "operations.test.ts",
  "incident-comment.yml › command › Record the command": "operations.test.ts",
  "probe-shards.yml › probe › Probe this shard in this region": "operations.test.ts",
  "probe-shards.yml › merge › Record every shard at once and publish": "operations.test.ts",
  // The test suite itself: `npm test`, which runs these scenarios; the runner does not run it inside itself.
  "validate.yml › test › The whole test suite (installs Chromium, PostgreSQL, Java, age when missing; what `npm test` needs)": "npm test",
};

/** Every step `scenario` claims ran (succeeded or failed, never skipped) in one of its runs. */
export function expectCovered(runs: readonly WorkflowRun[], scenario: string): void {
  const ran = new Set(runs.flatMap((run) => run.jobs.flatMap((job) => job.steps.filter((step) => step.outcome !== "skipped").map((step) => `${run.workflow} › ${job.id} › ${step.name}`))));
  const claimed = Object.entries(CLI_STEPS).filter(([, owner]) => owner === scenario).map(([step]) => step);
  expect(claimed.filter((step) => !ran.has(step))).toEqual([]);
}
