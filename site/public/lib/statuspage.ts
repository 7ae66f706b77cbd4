/**
 * The Statuspage v2 public API shapes (docs/public-site.md), built from the status model, so aggregators
 * and widgets that read Atlassian Statuspage pages read this one unchanged. Faithful over time: each
 * update lists the components it changed, resolved_at is when the incident was marked resolved, every
 * timestamp is one that has happened, and ids and created_at do not change between builds.
 */
import type { ComponentStatus, PublicComponent, PublicEvent, PublicMaintenance, PublicUpdate, StatusModel } from "../../../scripts/core/public-view.ts";
import type { MaintenanceWindow } from "../../../scripts/core/maintenance-windows.ts";
import { t } from "../../shared/strings.ts";
import { absolute, paths } from "./paths.ts";
import { bannerText } from "./words.ts";

/** A stable page id: Statuspage ids are opaque strings, ours is derived from the page title. */
function pageId(model: StatusModel): string {
  return model.page.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "status";
}

const url = (model: StatusModel, path: string) => absolute(model.page, path)!;

function page(model: StatusModel) {
  return { id: pageId(model), name: model.page.title, url: url(model, ""), time_zone: "Etc/UTC", updated_at: model.updatedAt };
}

/** Statuspage's indicator and its words; a page with components still without data says so instead of "All Systems Operational". */
function status(model: StatusModel) {
  const { indicator } = model.overall;
  const description = model.overall.status === "no_data" || (model.overall.status === "operational" && model.overall.withData < model.overall.components) ? bannerText(model) : t(`indicator.${indicator}`);
  return { indicator, description };
}

const groupId = (id: string) => `group-${id}`;
/** Components with data; Statuspage has no status for "not measured yet", so those are left out until they have one. */
const measured = (component: PublicComponent): component is PublicComponent & { status: ComponentStatus; since: string } => component.status !== "no_data" && component.since !== undefined;
const midnight = (date: string) => `${date}T00:00:00.000Z`;

function components(model: StatusModel) {
  const rows: Record<string, unknown>[] = [];
  let position = 1;
  for (const group of model.groups) {
    const members = group.components.filter(measured);
    if (members.length === 0) continue;
    if (group.name) {
      const since = members.map((component) => component.since).sort()[0]!;
      rows.push({
        id: groupId(group.id),
        name: group.name,
        status: group.status,
        created_at: midnight(since),
        updated_at: members.map((component) => component.updatedAt ?? midnight(since)).sort().at(-1)!,
        position: position++,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId(model),
        group: true,
        only_show_if_degraded: false,
        components: members.map((component) => component.id),
      });
    }
    for (const component of members) {
      rows.push({
        id: component.id,
        name: component.name,
        status: component.status,
        created_at: midnight(component.since),
        updated_at: component.updatedAt ?? midnight(component.since),
        position: position++,
        description: component.description ?? null,
        showcase: true,
        start_date: component.since,
        group_id: group.name ? groupId(group.id) : null,
        page_id: pageId(model),
        group: false,
        only_show_if_degraded: false,
      });
    }
  }
  return rows;
}

type Rows = Map<unknown, Record<string, unknown>>;

function updates(event: PublicEvent, incidentId: string) {
  return event.updates.map((update: PublicUpdate) => ({
    id: update.id,
    incident_id: incidentId,
    status: update.status,
    body: update.message,
    created_at: update.at,
    updated_at: update.at,
    display_at: update.at,
    affected_components: update.transitions.length > 0 ? update.transitions.map((change) => ({ code: change.id, name: change.name, old_status: change.from, new_status: change.to })) : null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }));
}

function incident(model: StatusModel, rows: Rows, event: PublicEvent) {
  return {
    id: event.id,
    name: event.title,
    status: event.status,
    impact: event.impact,
    created_at: event.createdAt,
    updated_at: event.updatedAt,
    started_at: event.startedAt,
    monitoring_at: event.kind === "incident" ? (event.monitoringAt ?? null) : null,
    resolved_at: event.resolvedAt ?? null,
    shortlink: url(model, paths.incident(event.id)),
    page_id: pageId(model),
    components: event.components.map((component) => rows.get(component.id)).filter((row) => row !== undefined),
    incident_updates: updates(event, event.id),
  };
}

/**
 * One occurrence of a recurring maintenance: its own id (the window's) and shortlink (the window on the
 * maintenance page), and timestamps that have happened: started once its window began, resolved once it
 * ended, updated by the latest of those and the maintenance's updates.
 */
function occurrence(model: StatusModel, rows: Rows, event: PublicMaintenance, window: MaintenanceWindow) {
  const now = model.generatedAt;
  const started = window.start <= now ? window.start : undefined;
  const resolved = window.status === "completed" && window.end <= now ? window.end : undefined;
  return {
    ...incident(model, rows, event),
    id: window.id,
    status: window.status,
    started_at: started ?? event.createdAt,
    updated_at: [event.createdAt, event.updates[0]?.at, started, resolved].filter((at): at is string => at !== undefined).sort().at(-1)!,
    resolved_at: resolved ?? null,
    shortlink: `${url(model, paths.incident(event.id))}#${window.id}`,
    incident_updates: updates(event, window.id),
    scheduled_for: window.start,
    scheduled_until: window.end,
  };
}

type WindowFilter = (status: PublicMaintenance["status"]) => boolean;

/** One entry per maintenance; a recurring one is listed once for each of its windows that `keep` accepts. */
function maintenances(model: StatusModel, rows: Rows, events: readonly PublicMaintenance[], keep: WindowFilter = () => true) {
  return events.flatMap((event) => {
    if (event.recurring) return event.windows.filter((window) => keep(window.status)).map((window) => occurrence(model, rows, event, window));
    return [{ ...incident(model, rows, event), scheduled_for: event.scheduledFor ?? null, scheduled_until: event.scheduledUntil ?? null }];
  });
}

const RECENT = 50;

/** Every API file, by path under api/v2/. */
export function statuspageFiles(model: StatusModel): Map<string, unknown> {
  const base = { page: page(model) };
  const list = components(model);
  const rows: Rows = new Map(list.filter((row) => row.group === false).map((row) => [row.id, row]));
  const upcoming: WindowFilter = (state) => state === "scheduled";
  const active: WindowFilter = (state) => state === "in_progress" || state === "verifying";
  const one = (event: PublicEvent) => incident(model, rows, event);
  const recentMaintenances = [...model.maintenances].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, RECENT);
  const files = new Map<string, unknown>([
    [
      "summary.json",
      {
        ...base,
        status: status(model),
        components: list,
        incidents: model.openIncidents.map(one),
        scheduled_maintenances: [...maintenances(model, rows, model.activeMaintenances, active), ...maintenances(model, rows, model.upcomingMaintenances, upcoming)],
      },
    ],
    ["status.json", { ...base, status: status(model) }],
    ["components.json", { ...base, components: list }],
    ["incidents.json", { ...base, incidents: model.incidents.slice(0, RECENT).map(one) }],
    ["incidents/unresolved.json", { ...base, incidents: model.openIncidents.map(one) }],
    ["scheduled-maintenances.json", { ...base, scheduled_maintenances: maintenances(model, rows, recentMaintenances) }],
    ["scheduled-maintenances/upcoming.json", { ...base, scheduled_maintenances: maintenances(model, rows, model.upcomingMaintenances, upcoming) }],
    ["scheduled-maintenances/active.json", { ...base, scheduled_maintenances: maintenances(model, rows, model.activeMaintenances, active) }],
  ]);
  for (const event of model.incidents) files.set(`incidents/${event.id}.json`, { ...base, incident: one(event) });
  return files;
}
