/**
 * A small stand-in for the probe pipeline (scripts/engine.ts lives on the engine branch): one HTTP check
 * probed for real, a two-sample confirm/recover state machine, one alert rule, and the real incident
 * planner, store and gitops. It exercises everything this branch owns end to end.
 */
import type { AlertEvent } from "../../scripts/core/incident-lifecycle.ts";
import type { CheckState, Sample, StateFile } from "../../scripts/core/schema/records.ts";
import { applyIncidentPlan } from "../../scripts/store/incident-plan.ts";
import { appendSamples } from "../../scripts/store/samples.ts";
import { readState, STATE_FILE, writeState } from "../../scripts/store/state.ts";
import type { CycleResult } from "../../scripts/gitops/publish.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";

const CHECK = "stripe-webhook";
const RULE = "stripe-webhook-down";

/** Probes once; returns the sample and a function that applies this run's result to any tree. */
export async function probeOnce(url: string, run: string, now: Date): Promise<{ sample: Sample; apply(root: string): Promise<CycleResult> }> {
  const status = await fetch(url).then((response) => response.status, () => 0);
  const sample: Sample = { at: now.toISOString(), check: CHECK, region: "local", run, state: status === 200 ? "up" : "down", status };
  const apply = async (root: string): Promise<CycleResult> => {
    const samplePaths = await appendSamples(root, [sample]);
    const state: StateFile = await readState(root, now);
    const previous: CheckState = state.checks[CHECK] ?? { status: "up", since: sample.at, failStreak: 0, okStreak: 0, regions: {} };
    const failing = sample.state !== "up";
    const next: CheckState = { ...previous, lastSampleAt: sample.at, lastState: sample.state, failStreak: failing ? previous.failStreak + 1 : 0, okStreak: failing ? 0 : previous.okStreak + 1 };
    if (failing && next.failStreak === 1) next.outageStartedAt = sample.at;
    const events: AlertEvent[] = [];
    const base = { rule: RULE, severity: "critical" as const, incident: { severity: "SEV-1" as const }, checks: [CHECK], providers: ["payment-webhooks"], at: sample.at };
    if (previous.status !== "down" && next.failStreak >= 2) {
      Object.assign(next, { status: "down", since: next.outageStartedAt });
      events.push({ ...base, type: "fired", since: next.outageStartedAt, detail: `[STATUS] == 200 ✗ got ${status}` });
    } else if (previous.status === "down" && next.okStreak >= 2) {
      Object.assign(next, { status: "up", since: sample.at });
      delete next.outageStartedAt;
      events.push({ ...base, type: "cleared", since: sample.at });
    }
    state.checks[CHECK] = next;
    state.updatedAt = sample.at;
    state.lastRun = { id: run, at: sample.at, region: "local", durationMs: 1, checks: 1 };
    await writeState(root, state);

    const { workspace, problems } = await loadWorkspace(root);
    if (!workspace) throw new Error(problems.map((problem) => `${problem.file}: ${problem.message}`).join("\n"));
    const { edits, paths, changes } = await applyIncidentPlan(root, workspace, { events, transitions: [], firing: new Set(next.status === "down" ? [RULE] : []), now });
    return {
      paths: [...samplePaths, STATE_FILE, ...paths],
      urgent: events.length > 0 || edits.length > 0,
      headline: [events.map((event) => `${CHECK} ${event.type === "fired" ? "down" : "up"}`).join(", "), ...changes].filter(Boolean).join("; ") || undefined,
    };
  };
  return { sample, apply };
}
