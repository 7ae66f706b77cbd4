/**
 * How every check type turns what it saw into a sample state: a hard failure or a failed condition is
 * down, a soft one (slow, certificate expiring soon, a failed degraded condition) is degraded, otherwise
 * up. The error names every reason, most serious first, so a reader sees what failed without the log.
 */
import { evaluateConditions, formatCondition, parseConditions, type ConditionContext, type Placeholder } from "../core/conditions.ts";
import type { z } from "zod";
import type { Redact } from "../core/redaction.ts";
import type { conditionResult } from "../core/schema/records.ts";

type ConditionResult = z.infer<typeof conditionResult>;
import type { CheckSettings, ProbeOutcome } from "./check-type.ts";

export interface Observation extends ConditionContext {
  /** Reasons the target counts as down. */
  failures?: string[];
  /** Reasons it counts as degraded. */
  warnings?: string[];
  /** Extra fields for the sample (status, metrics…). */
  sample?: Partial<ProbeOutcome>;
}

export interface Judged {
  conditions?: readonly string[];
  degradedConditions?: readonly string[];
  minCertDays?: number;
}

const MAX_REASONS = 3;

/** `redact` is the check's redactor (ProbeContext.redact): what conditions saw is cleaned before it is cut short. */
export function judge(check: CheckSettings & Judged, placeholders: readonly Placeholder[], seen: Observation, redact: Redact): ProbeOutcome {
  const failures = [...(seen.failures ?? [])];
  const warnings = [...(seen.warnings ?? [])];
  const hard = evaluateConditions(parseConditions(check.conditions ?? [], placeholders), seen, redact);
  const soft = evaluateConditions(parseConditions(check.degradedConditions ?? [], placeholders), seen, redact);
  failures.push(...failed(hard));
  warnings.push(...failed(soft));
  const latency = seen.responseTimeMs;
  if (check.latencyObjective !== undefined && latency !== undefined && latency > check.latencyObjective) {
    warnings.push(`slower than the ${check.latencyObjective} ms objective (${Math.round(latency)} ms)`);
  }
  // A connection refused over its certificate already says why; its days left are still recorded.
  if (seen.certDays !== undefined && seen.connected !== false) {
    if (seen.certDays < 0) failures.push(`the certificate expired ${plural(-seen.certDays, "day")} ago`);
    else if (check.minCertDays !== undefined && seen.certDays < check.minCertDays) {
      warnings.push(`the certificate expires in ${plural(seen.certDays, "day")} (fewer than ${check.minCertDays})`);
    }
  }
  const state = failures.length > 0 ? "down" : warnings.length > 0 ? "degraded" : "up";
  const reasons = [...failures, ...warnings];
  const conditions = [...hard, ...soft];
  return {
    state,
    ...(latency !== undefined ? { latencyMs: Math.round(latency) } : {}),
    ...(seen.status !== undefined ? { status: seen.status } : {}),
    ...(seen.certDays !== undefined ? { certDaysLeft: Math.trunc(seen.certDays) } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(reasons.length > 0 ? { error: summarise(reasons) } : {}),
    ...seen.sample,
  };
}

function failed(results: readonly ConditionResult[]): string[] {
  return results.filter((result) => !result.ok).map(formatCondition);
}

function summarise(reasons: readonly string[]): string {
  const shown = reasons.slice(0, MAX_REASONS).join("; ");
  return reasons.length > MAX_REASONS ? `${shown}; and ${reasons.length - MAX_REASONS} more` : shown;
}

function plural(value: number, unit: string): string {
  const n = Math.floor(value);
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** An outcome for a probe that could not talk to its target at all. */
export function unreachable(reason: string): ProbeOutcome {
  return { state: "down", error: reason };
}
