import { z } from "zod";
import { httpLink, id, instant, timeOfDay, timeZone, weekday, duration } from "./common.ts";
import { incidentSeverity } from "./enums.ts";

const day = z.iso.date({ message: "must be a date such as 2026-11-20" });

export const incidentStatus = z.enum(["investigating", "identified", "monitoring", "resolved"]);
export const maintenanceStatus = z.enum(["scheduled", "in_progress", "verifying", "completed"]);
export const impact = z.enum(["none", "minor", "major", "critical"]);
/** One list, so a typo gets a suggestion; cross-file rules check the status fits the kind. */
const anyStatus = z.enum([...incidentStatus.options, ...maintenanceStatus.options]);
export const componentEffect = z.enum(["degraded_performance", "partial_outage", "major_outage", "under_maintenance"]);

const task = z.strictObject({
  task: z.string().min(1).describe("What to do."),
  owner: z.string().min(1).describe("Who does it."),
  due: day.optional().describe("When it is due."),
  done: z.boolean().default(false).describe("Whether it is done."),
});

const publicUpdate = z.strictObject({
  at: instant.describe("When the update was published."),
  status: anyStatus.describe("Status the update announces."),
  message: z.string().min(1).describe("Owner-safe message shown on the public page and in the feeds."),
});

const evidenceItem = z.strictObject({
  note: z.string().min(1).describe("What the evidence shows."),
  url: httpLink.optional().describe("Link to a dashboard, log search or trace (http or https)."),
  check: id.optional().describe("Check whose samples are the evidence."),
  at: instant.optional().describe("Time of the sample or event."),
});

const postmortem = z.strictObject({
  date: day.optional().describe("Date of the review meeting."),
  summary: z.string().min(1).describe("What happened, in a paragraph."),
  rootCause: z.string().min(1).describe("Why it happened."),
  wentWell: z.array(z.string()).default([]).describe("What went well."),
  needsImprovement: z.array(z.string()).default([]).describe("What needs improvement."),
  actionItems: z.array(task).default([]).describe("Follow-up work."),
  lessons: z.array(z.string()).default([]).describe("Lessons learned."),
});

const recurrence = z.strictObject({
  days: z.array(weekday).optional().describe("Weekdays the window opens; every day when left out."),
  start: timeOfDay.describe("Start time of each window."),
  duration: duration.describe("Length of each window."),
  timezone: timeZone.default("UTC").describe("Time zone of `start`."),
  until: instant.optional().describe("No windows after this time."),
});

export const incidentFrontmatter = z.strictObject({
  id: id.describe("Incident id; must equal the file name without `.md`."),
  title: z.string().min(1).describe("Owner-safe title, shown publicly when a provider of it is public."),
  kind: z.enum(["incident", "maintenance"]).default("incident").describe("An incident, or planned maintenance."),
  severity: incidentSeverity.optional().describe("SEV-1 … SEV-4 (playbook §6.3.1); required for incidents."),
  status: anyStatus.describe("Current status: investigating, identified, monitoring, resolved; maintenance: scheduled, in_progress, verifying, completed."),
  providers: z.array(id).min(1).describe("Providers affected."),
  impact: impact.default("none").describe("Public impact: none, minor, major or critical."),
  components: z
    .record(id, componentEffect)
    .default({})
    .describe("Effect on each provider's public component while the incident is open."),
  started: instant.optional().describe("When impact started."),
  detected: instant.optional().describe("When monitoring or a person noticed."),
  acknowledged: instant.optional().describe("When a responder acknowledged."),
  mitigated: instant.optional().describe("When impact was stopped."),
  resolved: instant.optional().describe("When service was fully restored."),
  closed: instant.optional().describe("When the close gate was passed (evidence, timeline, prevention, explanation)."),
  commander: z.string().optional().describe("Incident lead (internal)."),
  issue: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("The GitHub issue the incident mirror opened for this incident, written by the mirror; `/ack` and `/update` count only on that issue."),
  updates: z.array(publicUpdate).default([]).describe("Public updates, oldest first."),
  summary: z.string().optional().describe("Owner-safe explanation for the public page and owners."),
  evidence: z.array(evidenceItem).default([]).describe("Evidence (internal)."),
  prevention: z.array(task).default([]).describe("Prevention tasks (internal)."),
  postmortem: postmortem.optional().describe("Blameless post-mortem (playbook §6.3.4); required to close SEV-1 and SEV-2."),
  scheduledFor: instant.optional().describe("Maintenance: planned start."),
  scheduledUntil: instant.optional().describe("Maintenance: planned end."),
  recurrence: recurrence.optional().describe("Maintenance: repeating windows instead of one scheduled window."),
  muteAlerts: z.boolean().default(true).describe("Maintenance: mute alerts for its providers while it is in progress."),
  automated: z
    .strictObject({
      rule: id.describe("Alert rule that opened it."),
      key: z.string().min(1).describe("Outage key (rule and backdated start), so one outage opens one incident."),
      rules: z.array(id).default([]).describe("Other alert rules that fired during the same outage and joined this incident."),
      blip: z
        .boolean()
        .default(false)
        .describe("The outage recovered within `incidents.blip` and before anyone acknowledged it: kept and marked, never deleted."),
    })
    .optional()
    .describe("Set when the probe opened the incident."),
});
