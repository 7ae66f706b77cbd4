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

/** One alert rule's live state; `hash` is the rule's definition, so editing what the rule watches resets it. */
export const alertState = z.strictObject({
  hash: z.string().describe("Hash of the rule's checks, providers, condition, business hours and minFiring."),
  state: z.enum(["ok", "firing"]),
  since: instant.describe("When the current state began."),
  lastEvaluatedAt: instant.optional(),
  value: z.number().optional().describe("The condition's last measured value (count, %, ms, metric, silence)."),
  detail: z.string().optional().describe("The condition's last reading in words, e.g. `2 consecutive down runs: stripe-webhook`."),
  checks: z.array(id).default([]).describe("Checks that made the rule fire."),
  episode: z.string().optional().describe("Stable key of the current firing episode, e.g. `rule@20261116T1045Z`: PagerDuty dedup key, Opsgenie alias, GitHub marker."),
  onsetAt: instant.optional().describe("When the trouble began (first failing sample), which may be before it fired."),
  firedAt: instant.optional(),
  muted: z.string().optional().describe("Why notifications are held (maintenance, suppress-until), while that lasts."),
  notifiedAt: instant.optional().describe("When the firing was first notified; escalation counts from here."),
  lastNotifiedAt: instant.optional().describe("Last trigger or reminder; reminders count from here."),
  notifiedRoutes: z.array(id).default([]).describe("Routes told about this episode; they all get its resolution."),
  acknowledgedAt: instant.optional(),
  acknowledgedBy: z.string().optional(),
  escalationStep: z.number().int().nonnegative().default(0).describe("Escalation steps already taken."),
  raisedTo: severity.optional().describe("Severity the alert was raised to while unresolved."),
  incident: id.optional().describe("Incident opened for this episode (written by the incident planner)."),
});
export type AlertState = z.infer<typeof alertState>;

/** What a notification says about one alert (playbook §6.3.3: status, impact, started, lead, next steps; duration on resolution). */
export const notificationKind = z.enum(["trigger", "reminder", "escalation", "raise", "acknowledge", "resolve", "test", "undelivered"]);
export type NotificationKind = z.infer<typeof notificationKind>;

export const notificationItem = z.strictObject({
  id: z.string().describe("Unique per item: the episode plus what happened, e.g. `rule@20261116T1045Z/trigger`."),
  alert: z.string().describe("The episode key: PagerDuty dedup_key, Opsgenie alias and GitHub issue marker."),
  kind: notificationKind,
  rule: id.optional(),
  severity,
  title: z.string(),
  status: z.string().describe("Investigating, Acknowledged, Escalated, Resolved…"),
  impact: z.string(),
  startedAt: instant,
  lead: z.string(),
  next: z.array(z.string()).default([]),
  detail: z.string().optional(),
  providers: z.array(id).default([]),
  incident: id.optional(),
  resolvedAt: instant.optional(),
  durationMs: z.number().nonnegative().optional(),
  step: z.number().int().optional().describe("Escalation step (1-based)."),
  acknowledgedBy: z.string().optional(),
});
export type NotificationItem = z.infer<typeof notificationItem>;

/** Why a notification became a dead letter. */
export const deadReason = z
  .enum(["rejected", "expired", "route-removed"])
  .describe("`rejected`: the channel refused it for good (4xx other than 408 and 429, or its own refusal); `expired`: temporary failures for three days; `route-removed`: its route is gone from the configuration.");
export type DeadReason = z.infer<typeof deadReason>;

/** One message to one route: every alert item of a run for that route, grouped ("5 alerts firing: …"). */
export const notification = z.strictObject({
  key: z.string().describe("Deduplication key: the same key is queued and delivered once per route."),
  route: id,
  createdAt: instant,
  severity: severity.describe("Highest severity of its items, after quiet hours."),
  title: z.string(),
  items: z.array(notificationItem).min(1),
  status: z
    .enum(["pending", "delayed", "sending", "retrying", "sent", "failed"])
    .default("pending")
    .describe("`sending` is written before the channel is called, so a crash mid-send is resent with the same idempotency keys. `failed` entries are the dead letters."),
  attempts: z.number().int().nonnegative().default(0),
  lastAttemptAt: instant.optional(),
  nextAttemptAt: instant.optional().describe("Not before this time (quiet hours, or backoff after a failure)."),
  lastError: z.string().optional(),
  sentAt: instant.optional(),
  delivered: z.array(z.string()).default([]).describe("Items the channel already accepted, for channels that send one request per item."),
  failure: z
    .strictObject({
      reason: deadReason,
      at: instant.describe("When it became a dead letter."),
      announcedVia: id.optional().describe("Fallback route that announced it (once); absent when none could."),
    })
    .optional()
    .describe("Why a `failed` notification is a dead letter: it never holds the route's later messages."),
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
