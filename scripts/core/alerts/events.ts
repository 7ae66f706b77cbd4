/**
 * What rule evaluation reports, for the notification planner and for the incident planner (branch
 * `incidents`): a fired rule with an `incident` severity opens one incident per episode, and the planner
 * writes the incident id back into `AlertState.incident`.
 */
import type { IncidentSeverity, Severity } from "../schema/enums.ts";

interface EventBase {
  rule: string;
  /** When it happened (the evaluation time). */
  at: string;
  /** Stable key of the firing episode, e.g. `stripe-webhook-down@20261116T1045Z`. */
  episode: string;
  /** Effective severity (after an unresolved alert was raised). */
  severity: Severity;
  /** Routes to notify about this event; empty while the alert is muted. */
  routes: string[];
  checks: string[];
  providers: string[];
}

export type ClearReason = "recovered" | "inactive" | "rule-changed" | "rule-removed";

export type AlertEvent =
  /** The rule started firing. `muted` says why nobody is told yet (maintenance, suppress-until). */
  | (EventBase & { type: "fired"; onsetAt: string; value?: number; detail: string; muted?: string; incident?: IncidentSeverity })
  /** A rule that fired while muted is told now that the muting ended. */
  | (EventBase & { type: "released"; onsetAt: string; detail: string })
  | (EventBase & { type: "reminder"; detail: string })
  | (EventBase & { type: "escalated"; step: number })
  | (EventBase & { type: "raised"; from: Severity })
  | (EventBase & { type: "acknowledged"; by?: string })
  | (EventBase & { type: "cleared"; reason: ClearReason; onsetAt: string; firedAt: string; durationMs: number; detail: string });

export type AlertEventType = AlertEvent["type"];
