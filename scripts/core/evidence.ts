import type { CheckBase, ResolvedCheck } from "./model.ts";
import type { CheckState, Sample } from "./schema/records.ts";
import type { CheckEvidence } from "./signal.ts";

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
  return checks
    .filter((check) => check.enabled)
    .map((check) => {
      const evidence: CheckEvidence = {
        check: check.id,
        cadenceMs: check.cadence,
        up: 0,
        degraded: 0,
        down: 0,
        lastSampleAt: states[check.id]?.lastSampleAt,
        status: states[check.id]?.status,
      };
      for (const sample of samples) {
        if (sample.check !== check.id || sample.state === "error") continue;
        const at = Date.parse(sample.at);
        if (at <= since || at > now.getTime()) continue;
        evidence[sample.state] += 1;
        if (!evidence.lastSampleAt || sample.at > evidence.lastSampleAt) evidence.lastSampleAt = sample.at;
      }
      return evidence;
    });
}
