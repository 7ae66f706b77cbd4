/**
 * The public view: the only data the public site, feeds, API, badges and images may use. One pure function,
 * buildStatusModel, projects the workspace, live state and rollups into a model whose types have no
 * internal field (no owner, evidence, escalation, check target or error, route, rule, narrative, severity,
 * post-mortem), so anything that renders only this model cannot leak them. docs/public-site.md says what
 * is public and why.
 */
import { maintenanceWindows, type MaintenanceStatus, type MaintenanceWindow } from "./maintenance-windows.ts";
import type { CheckBase, Config, Incident, Provider } from "./model.ts";
import {
  DAY_MS,
  barDates,
  dayTotals,
  recentResponseTime,
  responseSeries,
  uptimeWindows,
  type DayTotals,
  type ResponseSeries,
  type RollupSet,
  type UptimeWindow,
} from "./public-history.ts";
import type { StateFile } from "./schema/records.ts";

export type { MaintenanceStatus, MaintenanceWindow, ResponseSeries, UptimeWindow };

export type ComponentStatus = "operational" | "degraded_performance" | "partial_outage" | "major_outage" | "under_maintenance";
export type DayStatus = ComponentStatus | "no_data";
export type Indicator = "none" | "minor" | "major" | "critical" | "maintenance";
export type Impact = "none" | "minor" | "major" | "critical";
export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved";

export interface PublicUpdate {
  /** Stable: the event id and the update's position in the file (updates are only ever appended). */
  id: string;
  at: string;
  status: IncidentStatus | MaintenanceStatus;
  /** Owner-written markdown; renderers sanitize it. */
  message: string;
}

export interface AffectedComponent {
  id: string;
  name: string;
  /** The declared effect on the component, when the file declares one. */
  effect?: ComponentStatus;
}

interface EventBase {
  id: string;
  title: string;
  impact: Impact;
  components: AffectedComponent[];
  createdAt: string;
  updatedAt: string;
  startedAt: string;
  resolvedAt?: string;
  /** Newest first. */
  updates: PublicUpdate[];
  summary?: string;
}

export interface PublicIncident extends EventBase {
  kind: "incident";
  status: IncidentStatus;
  monitoringAt?: string;
}

export interface PublicMaintenance extends EventBase {
  kind: "maintenance";
  status: MaintenanceStatus;
  /** The current or next window; the planned one when the maintenance is over. */
  scheduledFor?: string;
  scheduledUntil?: string;
  recurring: boolean;
  windows: MaintenanceWindow[];
}

export type PublicEvent = PublicIncident | PublicMaintenance;

export interface EventRef {
  id: string;
  title: string;
  kind: PublicEvent["kind"];
}

export interface DayBar {
  date: string;
  status: DayStatus;
  /** Fraction of samples that were not down; undefined without samples. */
  uptime?: number;
  downtimeMinutes: number;
  events: EventRef[];
}

export interface PublicComponent {
  id: string;
  name: string;
  group?: string;
  description?: string;
  order: number;
  status: ComponentStatus;
  uptime: Record<UptimeWindow, number | undefined>;
  /** Median response time over the last 24 hours, in ms. */
  responseTime?: number;
  /** The last 90 UTC days, oldest first. */
  days: DayBar[];
  responseTimes: ResponseSeries[];
}

export interface ComponentGroup {
  /** URL-safe id; "" for components without a group. */
  id: string;
  name?: string;
  status: ComponentStatus;
  components: PublicComponent[];
  days: DayBar[];
}

export interface StatusModel {
  page: { title: string; description: string; url?: string; basePath: string };
  generatedAt: string;
  lastCheckedAt?: string;
  /** No probe run has landed for `page.stale` × the shortest check cadence. */
  stale: boolean;
  staleAfterMs?: number;
  overall: { status: ComponentStatus; indicator: Indicator };
  groups: ComponentGroup[];
  components: PublicComponent[];
  /** Every public incident, newest first. */
  incidents: PublicIncident[];
  /** Every public maintenance, by start. */
  maintenances: PublicMaintenance[];
  openIncidents: PublicIncident[];
  activeMaintenances: PublicMaintenance[];
  upcomingMaintenances: PublicMaintenance[];
}

export interface StatusInput<C extends CheckBase = CheckBase> {
  config: Config;
  providers: Provider<C>[];
  incidents: Incident[];
  state: StateFile;
  /** Rollups by check id; only the public providers' checks are needed. */
  rollups: ReadonlyMap<string, RollupSet>;
  now: Date;
}

const RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

const INDICATOR: Record<ComponentStatus, Indicator> = {
  operational: "none",
  under_maintenance: "maintenance",
  degraded_performance: "minor",
  partial_outage: "major",
  major_outage: "critical",
};

const IMPACT_STATUS: Record<Impact, ComponentStatus> = {
  none: "operational",
  minor: "degraded_performance",
  major: "partial_outage",
  critical: "major_outage",
};

export function worstStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((worst, status) => (RANK[status] > RANK[worst] ? status : worst), "operational");
}

export function isPublicProvider<C extends CheckBase>(provider: Provider<C>): provider is Provider<C> & { public: Exclude<Provider<C>["public"], false> } {
  return provider.public !== false;
}

/** The components that probes measure: a component is down when all its checks are, partly down when some are. */
function measuredStatus(provider: Provider<CheckBase>, state: StateFile): ComponentStatus {
  const statuses = provider.checks.filter((check) => check.enabled).map((check) => state.checks[check.id]?.status ?? "unknown");
  const down = statuses.filter((status) => status === "down").length;
  if (down > 0) return down === statuses.length ? "major_outage" : "partial_outage";
  if (statuses.includes("degraded")) return "degraded_performance";
  return "operational";
}

function slug(text: string): string {
  return (
    text
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "group"
  );
}

function sortedUpdates(incident: Incident): PublicUpdate[] {
  const { id, updates } = incident.frontmatter;
  return updates
    .map((update, index) => ({ id: `${id}-${index + 1}`, at: new Date(update.at).toISOString(), status: update.status, message: update.message }))
    .sort((a, b) => b.at.localeCompare(a.at));
}

const iso = (at: string | undefined) => (at ? new Date(at).toISOString() : undefined);

function projectEvent(incident: Incident, names: ReadonlyMap<string, string>, now: Date): PublicEvent | undefined {
  const fm = incident.frontmatter;
  const components = fm.providers
    .filter((id) => names.has(id))
    .map((id) => ({ id, name: names.get(id)!, ...(fm.components[id] ? { effect: fm.components[id] } : {}) }));
  if (components.length === 0) return undefined;
  const updates = sortedUpdates(incident);
  // A blip recovered before anyone acted; without a public word about it, it is noise for customers.
  if (fm.automated?.blip && updates.length === 0) return undefined;
  const oldest = updates.at(-1)?.at;
  const base = {
    id: fm.id,
    title: fm.title,
    impact: fm.impact,
    components,
    updates,
    ...(fm.summary ? { summary: fm.summary } : {}),
  };
  if (fm.kind === "maintenance") {
    const windows = maintenanceWindows(fm, now);
    const current = windows[0];
    const status: MaintenanceStatus = current?.status ?? (fm.recurrence ? "completed" : (fm.status as MaintenanceStatus));
    const scheduledFor = current?.start ?? iso(fm.scheduledFor);
    const scheduledUntil = current?.end ?? iso(fm.scheduledUntil);
    const createdAt = oldest ?? scheduledFor ?? now.toISOString();
    return {
      ...base,
      kind: "maintenance",
      status,
      createdAt,
      startedAt: scheduledFor ?? createdAt,
      updatedAt: updates[0]?.at ?? createdAt,
      ...(status === "completed" ? { resolvedAt: scheduledUntil ?? updates[0]?.at ?? createdAt } : {}),
      ...(scheduledFor ? { scheduledFor } : {}),
      ...(scheduledUntil ? { scheduledUntil } : {}),
      recurring: Boolean(fm.recurrence),
      windows,
    };
  }
  const createdAt = oldest ?? iso(fm.detected) ?? iso(fm.started) ?? iso(fm.resolved) ?? now.toISOString();
  const resolvedAt = fm.status === "resolved" ? (iso(fm.resolved) ?? updates[0]?.at ?? createdAt) : undefined;
  const monitoringAt = updates.findLast((update) => update.status === "monitoring")?.at;
  const latest = [updates[0]?.at, resolvedAt, createdAt].filter((at): at is string => at !== undefined).sort().at(-1)!;
  return {
    ...base,
    kind: "incident",
    status: fm.status as IncidentStatus,
    createdAt,
    startedAt: iso(fm.started) ?? iso(fm.detected) ?? createdAt,
    updatedAt: latest,
    ...(monitoringAt ? { monitoringAt } : {}),
    ...(resolvedAt ? { resolvedAt } : {}),
  };
}

const isActiveMaintenance = (event: PublicMaintenance) => event.status === "in_progress" || event.status === "verifying";

/** The status an event gives a component while it is open. */
function eventEffect(event: PublicEvent, component: string): ComponentStatus | undefined {
  const affected = event.components.find((entry) => entry.id === component);
  if (!affected) return undefined;
  if (event.kind === "maintenance") return affected.effect ?? "under_maintenance";
  return affected.effect ?? (event.impact === "none" ? undefined : IMPACT_STATUS[event.impact]);
}

/** When an event touched the page: from its start to its end (or now). */
function eventSpan(event: PublicEvent, now: number): [number, number][] {
  if (event.kind === "maintenance") {
    const windows = event.windows.map((window) => [Date.parse(window.start), Math.min(now, Date.parse(window.end))] as [number, number]);
    return windows.filter(([start]) => start <= now);
  }
  return [[Date.parse(event.startedAt), event.resolvedAt ? Date.parse(event.resolvedAt) : now]];
}

/**
 * A day is degraded when a quarter or more of its samples missed the latency objective: an occasional
 * slow answer is normal for a healthy service, and a bar should not look amber every day because of it.
 */
const DEGRADED_DAY_SHARE = 0.25;

function dayStatus(totals: DayTotals | undefined, effects: ComponentStatus[]): DayStatus {
  if (!totals || totals.count === 0) return effects.length > 0 ? worstStatus(effects) : "no_data";
  const up = (totals.up + totals.degraded) / totals.count;
  let measured: ComponentStatus = "operational";
  if (up < 0.95) measured = "major_outage";
  else if (totals.down > 0) measured = "partial_outage";
  else if (totals.degraded / totals.count >= DEGRADED_DAY_SHARE) measured = "degraded_performance";
  return worstStatus([measured, ...effects]);
}

function dayBars(dates: readonly string[], totals: Map<string, DayTotals>, events: readonly PublicEvent[], component: string, now: number): DayBar[] {
  const spans = events.map((event) => ({ event, spans: eventSpan(event, now) }));
  return dates.map((date) => {
    const start = Date.parse(`${date}T00:00:00Z`);
    const touching = spans.filter((entry) => entry.spans.some(([from, to]) => from < start + DAY_MS && to >= start)).map((entry) => entry.event);
    const effects = touching.map((event) => eventEffect(event, component)).filter((effect): effect is ComponentStatus => effect !== undefined);
    const day = totals.get(date);
    return {
      date,
      status: dayStatus(day, effects),
      ...(day && day.count > 0 ? { uptime: (day.up + day.degraded) / day.count } : {}),
      downtimeMinutes: day?.downtimeMinutes ?? 0,
      events: touching.map((event) => ({ id: event.id, title: event.title, kind: event.kind })),
    };
  });
}

function groupDays(components: readonly PublicComponent[], dates: readonly string[]): DayBar[] {
  return dates.map((date, index) => {
    const days = components.map((component) => component.days[index]!);
    const measured = days.filter((day) => day.status !== "no_data");
    const events = new Map(days.flatMap((day) => day.events).map((event) => [event.id, event]));
    const withUptime = days.filter((day) => day.uptime !== undefined);
    return {
      date,
      status: measured.length === 0 ? "no_data" : worstStatus(measured.map((day) => day.status as ComponentStatus)),
      ...(withUptime.length > 0 ? { uptime: withUptime.reduce((sum, day) => sum + day.uptime!, 0) / withUptime.length } : {}),
      downtimeMinutes: Math.max(0, ...days.map((day) => day.downtimeMinutes)),
      events: [...events.values()],
    };
  });
}

function staleness(input: StatusInput): { stale: boolean; staleAfterMs?: number } {
  const cadences = input.providers.flatMap((provider) => provider.checks.filter((check) => check.enabled).map((check) => check.cadence));
  if (cadences.length === 0) return { stale: false };
  const staleAfterMs = input.config.page.stale * Math.min(...cadences);
  const last = input.state.lastRun?.at;
  return { stale: !last || input.now.getTime() - Date.parse(last) > staleAfterMs, staleAfterMs };
}

export function buildStatusModel<C extends CheckBase>(input: StatusInput<C>): StatusModel {
  const { config, state, now } = input;
  const at = now.getTime();
  const providers = input.providers.filter(isPublicProvider);
  const names = new Map(providers.map((provider) => [provider.id, provider.public.name]));
  const events = input.incidents
    .map((incident) => projectEvent(incident, names, now))
    .filter((event): event is PublicEvent => event !== undefined);
  const incidents = events.filter((event): event is PublicIncident => event.kind === "incident").sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
  const maintenances = events
    .filter((event): event is PublicMaintenance => event.kind === "maintenance")
    .sort((a, b) => (a.scheduledFor ?? a.startedAt).localeCompare(b.scheduledFor ?? b.startedAt) || a.id.localeCompare(b.id));
  const openIncidents = incidents.filter((incident) => incident.status !== "resolved");
  const activeMaintenances = maintenances.filter(isActiveMaintenance);
  const dates = barDates(now);
  const eventsOf = new Map<string, PublicEvent[]>();
  for (const event of events) {
    for (const { id } of event.components) eventsOf.set(id, [...(eventsOf.get(id) ?? []), event]);
  }

  const components: PublicComponent[] = providers.map((provider) => {
    const checks = provider.checks.filter((check) => check.enabled);
    const sets = checks.map((check) => input.rollups.get(check.id)).filter((set): set is RollupSet => set !== undefined);
    // The headline check for response time: the first one with latency data (a heartbeat has none).
    const timed = checks.map((check) => input.rollups.get(check.id)).find((set) => set?.hourly.some((rollup) => rollup.p50 !== undefined) || set?.daily.some((rollup) => rollup.p50 !== undefined));
    const incidentEffects = openIncidents.map((incident) => eventEffect(incident, provider.id)).filter((effect): effect is ComponentStatus => effect !== undefined);
    const maintenance = activeMaintenances.map((event) => eventEffect(event, provider.id)).filter((effect): effect is ComponentStatus => effect !== undefined);
    // Maintenance explains measured downtime: only a declared incident outranks it.
    const status = maintenance.length > 0 ? worstStatus([...maintenance, ...incidentEffects]) : worstStatus([measuredStatus(provider, state), ...incidentEffects]);
    const responseTime = recentResponseTime(timed, now);
    return {
      id: provider.id,
      name: provider.public.name,
      ...(provider.public.group ? { group: provider.public.group } : {}),
      ...(provider.public.description ? { description: provider.public.description } : {}),
      order: provider.public.order,
      status,
      uptime: uptimeWindows(sets, now),
      ...(responseTime !== undefined ? { responseTime } : {}),
      days: dayBars(dates, dayTotals(sets, dates), eventsOf.get(provider.id) ?? [], provider.id, at),
      responseTimes: responseSeries(timed, now),
    };
  });
  components.sort((a, b) => (a.group ?? "").localeCompare(b.group ?? "") || a.order - b.order || a.name.localeCompare(b.name));

  const groups: ComponentGroup[] = [];
  for (const component of components) {
    const name = component.group;
    let group = groups.find((candidate) => candidate.name === name);
    if (!group) {
      const base = name ? slug(name) : "";
      const taken = (id: string) => groups.some((candidate) => candidate.id === id);
      let id = base;
      for (let n = 2; taken(id); n++) id = `${base}-${n}`;
      group = { id, ...(name ? { name } : {}), status: "operational", components: [], days: [] };
      groups.push(group);
    }
    group.components.push(component);
  }
  for (const group of groups) {
    group.status = worstStatus(group.components.map((component) => component.status));
    group.days = groupDays(group.components, dates);
  }

  const overallStatus = worstStatus([
    ...components.map((component) => component.status),
    ...openIncidents.map((incident) => IMPACT_STATUS[incident.impact]),
    ...(activeMaintenances.length > 0 ? (["under_maintenance"] as const) : []),
  ]);
  return {
    page: { title: config.page.title, description: config.page.description, ...(config.page.url ? { url: config.page.url } : {}), basePath: config.page.basePath },
    generatedAt: now.toISOString(),
    ...(state.lastRun?.at ? { lastCheckedAt: new Date(state.lastRun.at).toISOString() } : {}),
    ...staleness(input),
    overall: { status: overallStatus, indicator: INDICATOR[overallStatus] },
    groups,
    components,
    incidents,
    maintenances,
    openIncidents,
    activeMaintenances,
    upcomingMaintenances: maintenances.filter((event) => event.status === "scheduled" && event.scheduledFor !== undefined && Date.parse(event.scheduledFor) > at),
  };
}
