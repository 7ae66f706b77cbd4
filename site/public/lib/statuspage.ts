/**
 * The Statuspage v2 public API shapes (docs/public-site.md), built from the status model, so aggregators
 * and widgets that read Atlassian Statuspage pages read this one unchanged.
 */
import type { ComponentStatus, PublicComponent, PublicEvent, PublicMaintenance, StatusModel } from "../../../scripts/core/public-view.ts";
import { t } from "../../shared/strings.ts";
import { link, paths } from "./paths.ts";

/** A stable page id: Statuspage ids are opaque strings, ours is derived from the page title. */
function pageId(model: StatusModel): string {
  return model.page.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "status";
}

function page(model: StatusModel) {
  return {
    id: pageId(model),
    name: model.page.title,
    url: link(model.page),
    time_zone: "Etc/UTC",
    updated_at: model.lastCheckedAt ?? model.generatedAt,
  };
}

function status(model: StatusModel) {
  return { indicator: model.overall.indicator, description: t(`indicator.${model.overall.indicator}`) };
}

const groupId = (id: string) => `group-${id}`;

function components(model: StatusModel) {
  const rows: Record<string, unknown>[] = [];
  let position = 1;
  const created = (component: PublicComponent) => component.days.find((day) => day.status !== "no_data")?.date ?? model.generatedAt.slice(0, 10);
  for (const group of model.groups) {
    if (group.name) {
      rows.push({
        id: groupId(group.id),
        name: group.name,
        status: group.status,
        created_at: model.generatedAt,
        updated_at: model.lastCheckedAt ?? model.generatedAt,
        position: position++,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId(model),
        group: true,
        only_show_if_degraded: false,
        components: group.components.map((component) => component.id),
      });
    }
    for (const component of group.components) {
      rows.push({
        id: component.id,
        name: component.name,
        status: component.status,
        created_at: `${created(component)}T00:00:00.000Z`,
        updated_at: model.lastCheckedAt ?? model.generatedAt,
        position: position++,
        description: component.description ?? null,
        showcase: true,
        start_date: created(component),
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

function incident(model: StatusModel, rows: Rows, event: PublicEvent) {
  const affected = event.components.map((component) => rows.get(component.id)).filter((row) => row !== undefined);
  const effects = event.components.map((component) => ({
    code: component.id,
    name: component.name,
    old_status: "operational",
    new_status: component.effect ?? ("operational" as ComponentStatus),
  }));
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
    shortlink: link(model.page, paths.incident(event.id)),
    page_id: pageId(model),
    components: affected,
    incident_updates: event.updates.map((update) => ({
      id: update.id,
      incident_id: event.id,
      status: update.status,
      body: update.message,
      created_at: update.at,
      updated_at: update.at,
      display_at: update.at,
      affected_components: effects,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
  };
}

type WindowFilter = (status: PublicMaintenance["status"]) => boolean;

/** One entry per window: a recurring maintenance is listed once for each of its windows that `keep` accepts. */
function maintenances(model: StatusModel, rows: Rows, events: readonly PublicMaintenance[], keep: WindowFilter = () => true) {
  return events.flatMap((event) => {
    const windows = event.recurring ? event.windows.filter((window) => keep(window.status)) : [undefined];
    return windows.map((window) => ({
      ...incident(model, rows, event),
      ...(window ? { id: window.id, status: window.status } : {}),
      scheduled_for: window?.start ?? event.scheduledFor ?? null,
      scheduled_until: window?.end ?? event.scheduledUntil ?? null,
    }));
  });
}

const RECENT = 50;

/** Every API file, by path under api/v2/. */
export function statuspageFiles(model: StatusModel): Map<string, unknown> {
  const base = { page: page(model) };
  const list = components(model);
  const rows: Rows = new Map(list.map((row) => [row.id, row]));
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
