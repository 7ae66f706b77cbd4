import { z } from "zod";
import { id, instant } from "./common.ts";
import { checkStatus, sampleState, severity } from "./enums.ts";

/** One condition's text and outcome, so readers see which rule failed ("[STATUS] == 200 ✗ got 503"). */
export const conditionResult = z.strictObject({
  text: z.string(),
  ok: z.boolean(),
  actual: z.string().optional(),
});

/** One probe outcome (the playbook's provider_checks row). */
export const sample = z.strictObject({
  at: instant,
  check: id,
  region: z.string(),
  run: z.string(),
  state: sampleState,
  latencyMs: z.number().nonnegative().optional(),
  status: z.number().int().optional(),
  error: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  conditions: z.array(conditionResult).optional(),
  certDaysLeft: z.number().optional(),
});
export type Sample = z.infer<typeof sample>;

/** Aggregate of one check over one hour or one day. */
export const rollup = z.strictObject({
  start: instant,
  count: z.number().int().nonnegative(),
  up: z.number().int().nonnegative(),
  degraded: z.number().int().nonnegative(),
  down: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
  downtimeMinutes: z.number().nonnegative(),
  p50: z.number().nonnegative().optional(),
  p95: z.number().nonnegative().optional(),
  p99: z.number().nonnegative().optional(),
  max: z.number().nonnegative().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
});
export type Rollup = z.infer<typeof rollup>;

/** A sample that says something about the target (probe errors say nothing and are left out). */
export const conclusiveState = z.enum(["up", "degraded", "down"]);
export type ConclusiveState = z.infer<typeof conclusiveState>;

/** One region's view of a check: its own thresholds, before quorum across regions. */
export const regionState = z.strictObject({
  status: checkStatus.describe("This region's confirmed status after the failure and recovery thresholds."),
  since: instant.describe("When that status began (backdated to the first sample of the streak that confirmed it)."),
  lastSampleAt: instant.describe("Newest sample from this region, probe errors included: when the check was last probed here."),
  recent: z
    .array(z.strictObject({ at: instant, state: conclusiveState }))
    .default([])
    .describe("The newest conclusive samples, oldest first; as many as the larger threshold."),
});
export type RegionState = z.infer<typeof regionState>;

/** Live state of one check (the seed's provider_checks row): status after thresholds, quorum and staleness. */
export const checkState = z.strictObject({
  provider: id.optional(),
  type: z.string().optional(),
  cadenceMs: z.number().int().positive().optional(),
  status: checkStatus,
  since: instant,
  lastSampleAt: instant.optional(),
  lastState: sampleState.optional(),
  lastLatencyMs: z.number().optional(),
  lastStatusCode: z.number().int().optional(),
  lastMetrics: z.record(z.string(), z.number()).optional(),
  lastError: z.string().optional(),
  lastSuccessAt: instant.optional(),
  lastFailureAt: instant.optional(),
  failStreak: z.number().int().nonnegative().default(0),
  okStreak: z.number().int().nonnegative().default(0),
  outageStartedAt: instant.optional(),
  failedConditions: z.array(conditionResult).optional(),
  regions: z.record(z.string(), regionState).default({}),
});
export type CheckState = z.infer<typeof checkState>;

export const alertState = z.strictObject({
  hash: z.string(),
  state: z.enum(["ok", "pending", "firing", "silenced"]),
  since: instant,
  lastEvaluatedAt: instant.optional(),
  value: z.number().optional(),
  detail: z.string().optional(),
  firedAt: instant.optional(),
  lastNotifiedAt: instant.optional(),
  acknowledgedAt: instant.optional(),
  escalationStep: z.number().int().nonnegative().default(0),
  raisedTo: severity.optional(),
  incident: id.optional(),
});
export type AlertState = z.infer<typeof alertState>;

export const notification = z.strictObject({
  key: z.string().describe("Deduplication key: the same key is delivered once per route."),
  route: id,
  createdAt: instant,
  severity,
  kind: z.enum(["trigger", "reminder", "escalation", "resolve", "acknowledge", "test"]),
  title: z.string(),
  lines: z.array(z.string()),
  alerts: z.array(id).default([]),
  incident: id.optional(),
  attempts: z.number().int().nonnegative().default(0),
  lastAttemptAt: instant.optional(),
  nextAttemptAt: instant.optional(),
  lastError: z.string().optional(),
  status: z.enum(["pending", "retrying", "failed", "sent", "delayed"]).default("pending"),
  sentAt: instant.optional(),
});
export type Notification = z.infer<typeof notification>;

export const stateFile = z.strictObject({
  version: z.literal(1),
  updatedAt: instant,
  lastRun: z
    .strictObject({ id: z.string(), at: instant, region: z.string(), durationMs: z.number(), checks: z.number().int() })
    .optional(),
  checks: z.record(id, checkState).default({}),
  alerts: z.record(id, alertState).default({}),
  outbox: z.array(notification).default([]),
});
export type StateFile = z.infer<typeof stateFile>;

/** One line of the structured run log (playbook §6.1.2). */
export const logEntry = z.strictObject({
  at: instant,
  level: z.enum(["debug", "info", "warning", "error", "critical"]),
  service: z.string(),
  message: z.string(),
  run: z.string(),
  requestId: z.string().optional(),
  check: id.optional(),
  provider: id.optional(),
  durationMs: z.number().optional(),
  context: z.record(z.string(), z.unknown()).default({}),
});
export type LogEntry = z.infer<typeof logEntry>;
