import { z } from "zod";
import { cadence, duration, httpLink, id, timerDuration } from "./common.ts";
import { incidentSeverity, providerKind, readiness } from "./enums.ts";

/** Fields every check has, whatever its type; each check type adds its own (scripts/probes/<type>.ts). */
export const checkBase = z.strictObject({
  id: id.describe("Check id, unique across all providers; used in results, rules and the heartbeat command."),
  name: z.string().min(1).optional().describe("Display name; defaults to the id."),
  description: z.string().optional().describe("What a failure of this check means."),
  enabled: z.boolean().default(true).describe("Disabled checks are validated but never probed."),
  cadence: cadence.optional().describe("How often it runs, 1s to 7d; defaults to `defaults.cadence`."),
  timeout: timerDuration.optional().describe("How long one attempt may take, 10ms to 24d; defaults to `defaults.timeout`."),
  retries: z.number().int().min(0).max(5).optional().describe("Extra attempts inside a run; defaults to `defaults.retries`."),
  failureThreshold: z.number().int().min(1).optional().describe("Consecutive failing runs before it is confirmed down."),
  recoveryThreshold: z.number().int().min(1).optional().describe("Consecutive passing runs before it is confirmed up again."),
  latencyObjective: duration.optional().describe("A sample slower than this is degraded."),
  regions: z.array(id).optional().describe("Regions that run this check; every region when left out."),
});

const runbook = z
  .strictObject({
    problem: z.string().min(1).describe("The alert or symptom this runbook answers."),
    severity: incidentSeverity.describe("Severity the problem usually has."),
    detection: z.string().min(1).describe("How you know it is happening."),
    immediate: z.array(z.string()).default([]).describe("First diagnostic steps and quick mitigations."),
    diagnosis: z.array(z.string()).default([]).describe("What to check, common root causes, how to confirm."),
    resolution: z.array(z.string()).default([]).describe("Step-by-step fix and how to validate it."),
    prevention: z.array(z.string()).default([]).describe("How to keep it from happening again."),
  })
  .describe("Incident runbook (playbook §6.3.2 template).");

export function makeProviderSchema<C extends z.ZodType>(check: C) {
  return z.strictObject({
    id: id.describe("Provider id; must equal the file name without `.yaml`."),
    name: z.string().min(1).describe("Display name in the operations room."),
    lane: id.describe("Lane id from `signalroom.yaml`."),
    owner: z.string().min(1).describe("Team or person who owns this provider."),
    kind: providerKind.describe("system, integration, api or webhook; sets the default escalation steps."),
    readiness: readiness.describe("planned, documented, live or active."),
    protects: z.string().min(1).optional().describe("What a system or integration protects; required for those kinds."),
    consumer: z.string().min(1).optional().describe("Who consumes an api; required for that kind."),
    destination: z.string().min(1).optional().describe("Where a webhook delivers; required for that kind."),
    recovery: z.string().min(1).describe("The recovery action operators take first."),
    escalation: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe("Escalation steps in order; defaults to the steps for the provider's kind."),
    escalationPolicy: id.optional().describe("Paging policy for this provider's alerts; defaults to `defaultEscalationPolicy`."),
    evidence: z
      .strictObject({
        note: z.string().min(1).describe("Why this provider matters, in a sentence."),
        links: z
          .array(z.strictObject({ title: z.string().min(1), url: httpLink }))
          .default([])
          .describe("Dashboards, docs and logs to open first (http or https addresses)."),
      })
      .describe("Evidence shown with the provider in the operations room."),
    readinessTasks: z
      .array(
        z.strictObject({
          task: z.string().min(1).describe("What has to be in place."),
          done: z.boolean().default(false).describe("Whether it is."),
        }),
      )
      .default([])
      .describe("What is left before the provider can be relied on; scores providers that have no checks yet."),
    runbook: runbook.optional(),
    public: z
      .union([
        z.literal(false),
        z.strictObject({
          name: z.string().min(1).describe("Name customers see."),
          group: z.string().min(1).optional().describe("Component group on the public page."),
          description: z.string().optional().describe("One owner-safe sentence about the component."),
          order: z.number().int().default(0).describe("Position inside its group, lowest first."),
        }),
      ])
      .default(false)
      .describe("The provider's public face, or `false` to keep it off the public page."),
    checks: z.array(check).default([]).describe("What is probed for this provider."),
  });
}

/** Escalation steps from the operations room, by provider kind. */
export const DEFAULT_ESCALATION: Record<z.infer<typeof providerKind>, string[]> = {
  system: [
    "Check health endpoint",
    "Compare recent deploy and provider status",
    "Open incident timeline",
    "Communicate owner-safe status",
  ],
  integration: [
    "Confirm provider owner",
    "Check secrets/config",
    "Review recent webhook/API failures",
    "Create owner-visible incident if user-facing",
  ],
  api: ["Identify consumer", "Validate auth scope", "Smoke route/contract", "Document breaking-change risk"],
  webhook: [
    "Inspect latest delivery",
    "Check idempotency key",
    "Replay safe payload",
    "Escalate if timeline or money state can drift",
  ],
};
