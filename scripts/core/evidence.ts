import type { CheckBase, ResolvedCheck } from "./model.ts";
import type { CheckState, Sample } from "./schema/records.ts";
import type { CheckEvidence } from "./signal.ts";

/**
 * When a check last heard from its provider. For a heartbeat that is the last beat, not the moment the
 * probe looked for one: a logger that beat four minutes ago is four minutes old evidence.
 */
function heardAt(type: string, at: string, metrics: Record<string, number> | undefined): number {
  const silence = type === "heartbeat" ? metrics?.silence_s : undefined;
  return Date.parse(at) - (silence ?? 0) * 1000;
}

/**
 * Counts each check's samples inside the signal window. Samples in the `error` state (the probe itself
 * could not run) say nothing about the provider and are left out.
 */
export function tallyEvidence<C extends CheckBase>(
  checks: readonly ResolvedCheck<C>[],
  samples: readonly Sample[],
  states: Record<string, CheckState>,
  windowMs: number,
  now: Date,
): CheckEvidence[] {
  const since = now.getTime() - windowMs;
  const byCheck = Map.groupBy(samples, (sample) => sample.check);
  return checks
    .filter((check) => check.enabled)
    .map((check) => {
      const state = states[check.id];
      let heard = state?.lastSampleAt ? heardAt(check.type, state.lastSampleAt, state.lastMetrics) : undefined;
      const evidence: CheckEvidence = { check: check.id, cadenceMs: check.cadence, up: 0, degraded: 0, down: 0, status: state?.status };
      for (const sample of byCheck.get(check.id) ?? []) {
        const at = Date.parse(sample.at);
        if (sample.state === "error" || at <= since || at > now.getTime()) continue;
        evidence[sample.state] += 1;
        heard = Math.max(heard ?? -Infinity, heardAt(check.type, sample.at, sample.metrics));
      }
      if (heard !== undefined) evidence.lastSampleAt = new Date(heard).toISOString();
      return evidence;
    });
}
