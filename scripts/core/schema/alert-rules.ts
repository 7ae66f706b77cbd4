import { z } from "zod";
import { dailyWindow, duration, id, instant } from "./common.ts";
import { checkStatus, incidentSeverity, severity } from "./enums.ts";

const percent = z.number().min(0).max(100);

/** Reminders more often than this would turn one alert into a storm (Gatus uses the same floor). */
export const MIN_REMINDER_MS = 5 * 60_000;

/** What makes a rule fire; every condition is evaluated over samples of the rule's targets. */
export const alertCondition = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("state"),
    state: checkStatus.exclude(["up"]).default("down").describe("Check state that fires the rule (`degraded` includes down; `unknown` is a check whose probe cannot run)."),
    for: z.number().int().min(1).default(1).describe("Consecutive runs in that state before it fires."),
    source: z
      .enum(["confirmed", "samples"])
      .default("confirmed")
      .describe(
        "`confirmed`: a check counts only once its confirmed status (after `failureThreshold`, `recoveryThreshold` and the regions' vote) is in the state, and the rule clears when that status leaves it. `samples`: raw probe samples decide alone, so `for: 1` fires on the first failing sample.",
      ),
  }),
  z.strictObject({
    type: z.literal("errors"),
    count: z.number().int().min(1).describe("Failing samples that fire the rule…"),
    within: duration.describe("…inside this window (e.g. 10 errors in 5m)."),
    clearBelow: z.number().int().min(0).optional().describe("Clears only when the count falls below this; defaults to `count`."),
  }),
  z.strictObject({
    type: z.literal("errorRate"),
    window: duration.describe("Window over which the rate is measured."),
    above: percent.describe("Fires when the percentage of failing samples is above this."),
    clearBelow: percent.optional().describe("Clears only when the rate falls below this (hysteresis); defaults to `above`."),
    minSamples: z.number().int().min(1).default(3).describe("Fewer samples than this never fire."),
  }),
  z.strictObject({
    type: z.literal("latency"),
    percentile: z.number().min(1).max(100).default(95).describe("Latency percentile to compare, e.g. 95 for P95."),
    window: duration.describe("Window over which the percentile is measured."),
    above: duration.describe("Fires when the percentile is above this."),
    clearBelow: duration.optional().describe("Clears only when the percentile falls below this; defaults to `above`."),
    minSamples: z.number().int().min(1).default(3).describe("Fewer samples than this never fire."),
  }),
  z
    .strictObject({
      type: z.literal("metric"),
      metric: z.string().min(1).describe("Metric read by a json check, e.g. queue_depth."),
      above: z.number().optional().describe("Fires when the value is above this."),
      below: z.number().optional().describe("Fires when the value is below this."),
      clearAt: z.number().optional().describe("Clears only once the value is back to this or past it (hysteresis); defaults to the threshold."),
      window: duration.optional().describe("Use the sum of the metric over this window instead of the latest value."),
    })
    .refine((condition) => (condition.above === undefined) !== (condition.below === undefined), {
      message: "needs exactly one of `above` and `below`",
      path: ["above"],
    }),
  z.strictObject({
    type: z.literal("absence"),
    for: duration.describe("Fires when no sample (or heartbeat) arrived for this long."),
  }),
  z.strictObject({
    type: z.literal("anomaly"),
    metric: z.string().min(1).describe("Metric to watch, or `latency`, or `errors`."),
    window: duration.prefault("1d").describe("Current window (e.g. today)."),
    baseline: duration.prefault("30d").describe("Baseline the current window is compared with (average per window)."),
    factor: z.number().positive().default(1.5).describe("Fires when the current value exceeds baseline × factor."),
  }),
]);

export const alertRule = z.strictObject({
  id: id.describe("Rule id; state is kept per rule and reset when the rule changes."),
  description: z.string().min(1).describe("What firing means, in words an operator acts on."),
  severity: severity.describe("critical, high, warning or info (playbook §6.2.1)."),
  checks: z.array(id).default([]).describe("Checks this rule watches."),
  providers: z.array(id).default([]).describe("Providers whose checks this rule watches."),
  condition: alertCondition,
  activeDuring: dailyWindow.optional().describe("Business hours: the rule only fires inside this window."),
  routes: z.array(id).optional().describe("Routes to notify; defaults to `severityRoutes` for the severity."),
  minFiring: duration.prefault("0s").describe("Once fired, the alert stays firing at least this long, so it cannot flap."),
  reminder: duration
    .refine((ms) => ms >= MIN_REMINDER_MS, "must be at least 5m, so reminders cannot become a storm")
    .optional()
    .describe("Notify again at this interval while the alert keeps firing and nobody acknowledged it (at least 5m)."),
  suppressUntil: instant.optional().describe("Known issue: the rule is still evaluated, but sends nothing until this time."),
  escalationPolicy: id
    .optional()
    .describe("Escalation policy for this rule at any severity; without it, critical alerts follow the provider's policy or `defaultEscalationPolicy`."),
  incident: z
    .union([
      z.literal(false),
      z.strictObject({
        severity: incidentSeverity.describe("Severity of the incident the rule opens."),
      }),
    ])
    .optional()
    .describe("Open an incident when the rule fires; `false` never does. Defaults: critical opens SEV-1, high SEV-2, others none."),
});

export const alertRulesFile = z.strictObject({
  rules: z.array(alertRule).default([]).describe("Alert rules (the playbook's provider_alert_rules)."),
});
