import { z } from "zod";
import type { SampleState } from "../core/schema/enums.ts";
import { urlText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";
import { performRequest } from "./request.ts";

/** The parts of a Statuspage v2 `summary.json` (or `status.json`) this check reads; other fields are ignored. */
const vendorEvent = z.object({
  name: z.string(),
  status: z.string(),
  impact: z.string().optional(),
  components: z.array(z.object({ id: z.string() })).nullish(),
});
const vendorPage = z.object({
  status: z.object({ indicator: z.string(), description: z.string().optional() }).optional(),
  components: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })).optional(),
  incidents: z.array(vendorEvent).optional(),
  scheduled_maintenances: z.array(vendorEvent).optional(),
});
type VendorEvent = z.infer<typeof vendorEvent>;

/** Statuspage's words mapped to ours; a partial outage of what we depend on is an outage for us. */
const INDICATOR: Record<string, SampleState> = { none: "up", minor: "degraded", major: "down", critical: "down", maintenance: "degraded" };
const COMPONENT: Record<string, SampleState> = {
  operational: "up",
  degraded_performance: "degraded",
  partial_outage: "down",
  major_outage: "down",
  under_maintenance: "degraded",
};
const OPEN_INCIDENT = new Set(["investigating", "identified", "monitoring"]);
const OPEN_MAINTENANCE = new Set(["in_progress", "verifying"]);
const MAX_BODY_BYTES = 5 * 1_048_576;

export const statuspage = defineCheckType({
  type: "statuspage",
  options: {
    url: urlText.describe("Address of the vendor's Statuspage v2 `summary.json` (or its page root)."),
    component: z.string().min(1).optional().describe("Watch only this component (by name); the page indicator when left out."),
  },
  placeholders: [],
  // A vendor page that hangs is unreadable, like one that fails: no evidence about the vendor's service.
  silence: "error",
  async probe(check, context) {
    const url = summaryUrl(check.url);
    const seen = await performRequest(
      {
        ...check,
        url,
        method: "GET",
        headers: { accept: "application/json" },
        expectStatus: ["2xx"],
        followRedirects: true,
        maxRedirects: 5,
        maxBodyBytes: MAX_BODY_BYTES,
        insecure: false,
        minCertDays: 0,
      },
      context,
    );
    // An unreadable status page says nothing about the vendor's service: the probe could not run.
    if ("error" in seen) return { state: "error", error: seen.error };
    if ((seen.failures ?? []).length > 0) return { state: "error", error: `could not read the vendor's status page: ${seen.failures!.join("; ")}` };
    let page: z.infer<typeof vendorPage>;
    try {
      page = vendorPage.parse(JSON.parse(seen.body ?? ""));
    } catch {
      return { state: "error", error: "the vendor's status page did not answer with Statuspage v2 JSON" };
    }
    return check.component ? componentOutcome(page, check.component) : pageOutcome(page);
  },
});

/** A page root becomes its summary.json; a URL that already names a JSON file is used as it is. */
function summaryUrl(text: string): string {
  try {
    const url = new URL(text);
    if (!url.pathname.endsWith(".json")) url.pathname = `${url.pathname.replace(/\/$/, "")}/api/v2/summary.json`;
    return url.href;
  } catch {
    return text;
  }
}

function pageOutcome(page: z.infer<typeof vendorPage>) {
  if (!page.status) return { state: "error" as const, error: "the vendor's status page has no status indicator" };
  const { indicator, description } = page.status;
  const state = INDICATOR[indicator];
  if (!state) return { state: "error" as const, error: `the vendor's status page has an unknown indicator "${indicator}"` };
  return withEvidence(state, `page: ${description ?? indicator}`, { text: "page indicator == none", ok: state === "up", actual: indicator }, openEvents(page));
}

function componentOutcome(page: z.infer<typeof vendorPage>, name: string) {
  const components = page.components ?? [];
  const component = components.find((candidate) => candidate.name === name) ?? components.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!component) {
    const names = components.map((candidate) => candidate.name).join(", ");
    return { state: "error" as const, error: `the vendor's status page has no component "${name}"${names ? ` (components: ${names})` : " (use summary.json or components.json)"}` };
  }
  const state = COMPONENT[component.status];
  if (!state) return { state: "error" as const, error: `component "${component.name}" has an unknown status "${component.status}"` };
  const events = openEvents(page).filter((event) => !event.components?.length || event.components.some((affected) => affected.id === component.id));
  return withEvidence(state, `${component.name}: ${component.status.replace(/_/g, " ")}`, { text: `component "${component.name}" == operational`, ok: state === "up", actual: component.status }, events);
}

function openEvents(page: z.infer<typeof vendorPage>): VendorEvent[] {
  return [
    ...(page.incidents ?? []).filter((incident) => OPEN_INCIDENT.has(incident.status)),
    ...(page.scheduled_maintenances ?? []).filter((maintenance) => OPEN_MAINTENANCE.has(maintenance.status)),
  ];
}

/** The vendor's own incident names are the evidence: they say why, in the vendor's words. */
function withEvidence(state: SampleState, summary: string, condition: { text: string; ok: boolean; actual: string }, events: VendorEvent[]) {
  const evidence = events.map((event) => `vendor ${OPEN_MAINTENANCE.has(event.status) ? "maintenance" : "incident"} "${event.name}" (${event.status}${event.impact ? `, impact ${event.impact}` : ""})`);
  const error = state === "up" ? undefined : [summary, ...evidence].join("; ");
  return { state, conditions: [condition], ...(error ? { error } : {}) };
}
