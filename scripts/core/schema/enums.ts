import { z } from "zod";

/** Alert levels of playbook §6.2.1. */
export const severity = z.enum(["critical", "high", "warning", "info"]);
export type Severity = z.infer<typeof severity>;

/** Incident severities of playbook §6.3.1. */
export const incidentSeverity = z.enum(["SEV-1", "SEV-2", "SEV-3", "SEV-4"]);
export type IncidentSeverity = z.infer<typeof incidentSeverity>;

/** What a provider is, which sets its default escalation steps and how its evidence reads. */
export const providerKind = z.enum(["system", "integration", "api", "webhook"]);
export type ProviderKind = z.infer<typeof providerKind>;

/** How far a provider is from being relied on: planned → documented → live → active. */
export const readiness = z.enum(["planned", "documented", "live", "active"]);
export type Readiness = z.infer<typeof readiness>;

/** Outcome of one probe: `error` means the probe itself could not run (e.g. a missing secret). */
export const sampleState = z.enum(["up", "degraded", "down", "error"]);
export type SampleState = z.infer<typeof sampleState>;

/** Confirmed state of a check after thresholds, quorum and staleness. */
export const checkStatus = z.enum(["up", "degraded", "down", "unknown"]);
export type CheckStatus = z.infer<typeof checkStatus>;
