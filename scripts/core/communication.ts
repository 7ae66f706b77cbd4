/**
 * The communication templates of playbook §6.3.3, in their owner-safe (status page) form: the initial
 * notice, progress updates and the resolution. They name only public component names and UTC times,
 * never checks, errors or people, so the text is safe to publish as it is; operators edit it freely.
 */
import type { IncidentFrontmatter } from "./model.ts";

export const TEMPLATES = ["initial", "progress", "resolution"] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export interface TemplateContext {
  /** Public names of the affected components; empty when none of the providers is public. */
  components: readonly string[];
  now: Date;
}

const IMPACT_WORDS: Record<IncidentFrontmatter["impact"], (what: string, many: boolean) => string> = {
  none: () => "",
  minor: (what) => `Some requests to ${what} may be slower or fail.`,
  major: (what) => `Many requests to ${what} are failing.`,
  critical: (what, many) => `${what} ${many ? "are" : "is"} unavailable.`,
};

const STATUS_WORDS: Record<string, string> = {
  investigating: "We are still investigating the cause.",
  identified: "We have identified the cause and are working on a fix.",
  monitoring: "A fix is in place and we are monitoring the results.",
  resolved: "The problem is resolved.",
  scheduled: "The maintenance is scheduled.",
  in_progress: "The maintenance is in progress.",
  verifying: "The maintenance is done and we are verifying the results.",
  completed: "The maintenance is complete.",
};

const NEXT_UPDATE = "We will post another update within 30 minutes.";
const sentences = (...parts: string[]) => parts.filter(Boolean).join(" ");

/** "Payments", "Payments and Login", "Payments, Login and Email"; a neutral phrase without public names. */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) return "one of our services";
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** What an alert condition means for customers, in a few words: the symptom half of an automatic title. */
export type Symptom = "requests failing" | "slow or degraded responses" | "slow responses" | "not reporting" | "unusual behaviour" | "degraded service";

export function symptomOf(condition: { type: string; state?: string } | undefined): Symptom {
  switch (condition?.type) {
    case "state":
      return condition.state === "degraded" ? "slow or degraded responses" : "requests failing";
    case "errors":
    case "errorRate":
      return "requests failing";
    case "latency":
      return "slow responses";
    case "absence":
      return "not reporting";
    case "anomaly":
      return "unusual behaviour";
    default:
      return "degraded service";
  }
}

/** "Payments: requests failing", "Payments and Login: slow responses"; never "Problems with one of our services". */
export function automaticTitle(components: readonly string[], symptom: Symptom): string {
  return `${components.length > 0 ? listNames(components) : "Internal service"}: ${symptom}`;
}

/** `10:45 UTC` today, `Nov 16, 10:45 UTC` on another day. */
export function utcTime(at: string | Date, now: Date): string {
  const date = new Date(at);
  const time = `${date.toISOString().slice(11, 16)} UTC`;
  if (date.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  const day = date.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  return `${day}, ${time}`;
}

/** The text a template produces for this incident at `now`. */
export function renderTemplate(name: TemplateName, incident: IncidentFrontmatter, context: TemplateContext): string {
  const what = listNames(context.components);
  const many = context.components.length > 1;
  switch (name) {
    case "initial":
      return sentences(`We are investigating problems with ${what}.`, IMPACT_WORDS[incident.impact](what, many), NEXT_UPDATE);
    case "progress": {
      // Once a fix is in place the impact is in the past; saying it is still unavailable would contradict it.
      const stillHurting = incident.status === "investigating" || incident.status === "identified";
      return sentences(STATUS_WORDS[incident.status] ?? "", stillHurting ? IMPACT_WORDS[incident.impact](what, many) : "", NEXT_UPDATE);
    }
    case "resolution": {
      const start = incident.started ?? incident.detected;
      const end = incident.resolved ?? context.now.toISOString();
      const window = start ? `Between ${utcTime(start, context.now)} and ${utcTime(end, context.now)}, ` : "";
      const was = many ? "were" : "was";
      const effect = incident.impact === "critical" || incident.impact === "major" ? `${was} unavailable or failing for many requests` : `${was} degraded`;
      return `${window}${what} ${effect}. The problem is resolved and service is operating normally. No action is required from you.`;
    }
  }
}

/** The template that fits the next update: the first one opens, `resolved` closes, anything else is progress. */
export function templateFor(status: string, updateCount: number): TemplateName {
  if (status === "resolved" || status === "completed") return "resolution";
  return updateCount === 0 ? "initial" : "progress";
}
