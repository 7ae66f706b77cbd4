/**
 * The public view: the only data the public site, feeds, API, badges and images may use. One pure function,
 * buildStatusModel, projects the workspace, live state and rollups into a model whose types have no
 * internal field (no owner, evidence, escalation, check target or error, route, rule, narrative, severity,
 * post-mortem), so anything that renders only this model cannot leak them. docs/public-site.md says what
 * is public and why, and holds the table of how every status is derived; this file is that table.
 */
import { maintenanceSpans, maintenanceWindows, type MaintenanceStatus, type MaintenanceWindow } from "./maintenance-windows.ts";
import type { CheckBase, Config, Incident, Provider } from "./model.ts";
import {
  DAY_MS,
  barDates,
  dayTotals,
  firstDataDate,
  recentResponseTime,
  recentTotals,
  responseSeries,
  uptimeWindows,
  type DayTotals,
  type ResponseSeries,
  type RollupSet,
  type UptimeWindow,
} from "./public-history.ts";
import type { StateFile } from "./schema/records.ts";

export type { MaintenanceStatus, MaintenanceWindow, ResponseSeries, UptimeWindow };

/** The statuses Statuspage knows (the API speaks them). */
export type ComponentStatus = "operational" | "degraded_performance" | "partial_outage" | "major_outage" | "under_maintenance";
/** What the page says: a Statuspage status, or that nothing is known yet. */
export type PublicStatus = ComponentStatus | "no_data";
export type DayStatus = PublicStatus;
export type Indicator = "none" | "minor" | "major" | "critical" | "maintenance";
export type Impact = "none" | "minor" | "major" | "critical";
export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved";

/** A component's status before and after an update, when the update changed it. */
export interface Transition {
  id: string;
  name: string;
  from: ComponentStatus;
  to: ComponentStatus;
}

export interface PublicUpdate {
  /** Stable: the event id and the update's position in the file (updates are only ever appended). */
  id: string;
  at: string;
  status: IncidentStatus | MaintenanceStatus;
  /** Owner-written markdown; renderers sanitize it. */
  message: string;
  /** The components whose status this update changed (Statuspage's affected_components). */
  transitions: Transition[];
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
  /** When it was first published: its first public update (incidents without one: detected or started). */
  createdAt: string;
  /** The latest change: an update, or the window starting or ending; never after the build. */
  updatedAt: string;
  startedAt: string;
  /** When it was marked resolved or completed (not when service came back: see restoredAt). */
  resolvedAt?: string;
  /** Newest first; only updates dated up to the build are public. */
  updates: PublicUpdate[];
  summary?: string;
}

export interface PublicIncident extends EventBase {
  kind: "incident";
  status: IncidentStatus;
  /** When it last entered monitoring (a fix in place), while it is monitoring or resolved. */
  monitoringAt?: string;
  /** When service was fully restored (`resolved` in the file), which may precede resolvedAt. */
  restoredAt?: string;
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
  /** Minutes of the day inside maintenance windows: downtime up to this long was planned. */
  plannedMinutes: number;
  events: EventRef[];
  /** Downtime longer than `incidents.blip` that no public incident or maintenance window explains. */
  unplanned: boolean;
}

export interface PublicComponent {
  id: string;
  name: string;
  group?: string;
  description?: string;
  order: number;
  status: PublicStatus;
  /** Some check has produced a sample at some point (a component without any says "No data yet"). */
  hasHistory: boolean;
  /** The first UTC date with samples: where its history starts (Statuspage's start_date). */
  since?: string;
  /** When its status last changed; undefined without data. */
  updatedAt?: string;
  uptime: Record<UptimeWindow, number | undefined>;
  /** How much of each window the uptime covers: hours with data for 24 h, days with data otherwise. */
  coverage: Record<UptimeWindow, number>;
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
  status: PublicStatus;
  components: PublicComponent[];
  days: DayBar[];
}

/** Consecutive days of one component with unexplained downtime: the page says so, never "no incidents". */
export interface UnplannedDowntime {
  component: { id: string; name: string };
  /** First and last UTC date of the run. */
  from: string;
  to: string;
  downtimeMinutes: number;
}

export interface StatusModel {
  page: { title: string; description: string; url?: string; basePath: string; logo?: string; accent?: string };
  generatedAt: string;
  /** The latest change of anything the page shows: a component's status or an event. */
  updatedAt: string;
  lastCheckedAt?: string;
  /** No probe run has landed for `page.stale` × the shortest check cadence. */
  stale: boolean;
  staleAfterMs?: number;
  /** `components` and `withData` let the banner say how many components it speaks for. */
  overall: { status: PublicStatus; indicator: Indicator; components: number; withData: number };
  groups: ComponentGroup[];
  components: PublicComponent[];
  /** Every public incident, newest first. */
  incidents: PublicIncident[];
  /** Every public maintenance, by start. */
  maintenances: PublicMaintenance[];
  openIncidents: PublicIncident[];
  activeMaintenances: PublicMaintenance[];
  upcomingMaintenances: PublicMaintenance[];
  /** Unexplained downtime in the last 90 days, newest first. */
  unplanned: UnplannedDowntime[];
}

export interface StatusInput<C extends CheckBase = CheckBase> {
  config: Config;
  providers: Provider<C>[];
  incidents: Incident[];
  state: StateFile;
  /** Rollups by check id; only the public providers' checks are needed. */
  rollups: ReadonlyMap<string, RollupSet>;
  now: Date;
  /** The logo's address under the site, when the configuration names one. */
  logo?: string;
}

const RANK: Record<PublicStatus, number> = {
  operational: 0,
  no_data: 1,
  under_maintenance: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};

const INDICATOR: Record<PublicStatus, Indicator> = {
  operational: "none",
  no_data: "none",
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

/**
 * A share of samples this large makes a status: a day (or the recent window) is degraded when a quarter
 * of its samples were slow or failing (an occasional slow answer is normal for a healthy service), and
 * the recent window is a partial outage when a quarter of its samples failed.
 */
const SHARE = 0.25;
/** A day below this uptime is a major outage. */
const MAJOR_DAY_UPTIME = 0.95;

export const rankOf = (status: PublicStatus) => RANK[status];

/** The worst of some statuses; "no data" only when nothing else is known (it never hides a measurement). */
export function worstStatus(statuses: readonly PublicStatus[]): PublicStatus {
  const known = statuses.filter((status) => status !== "no_data");
  if (known.length === 0) return "no_data";
  return known.reduce<PublicStatus>((worst, status) => (RANK[status] > RANK[worst] ? status : worst), "operational");
}

export function isPublicProvider<C extends CheckBase>(provider: Provider<C>): provider is Provider<C> & { public: Exclude<Provider<C>["public"], false> } {
  return provider.public !== false;
}

/** The checks' confirmed status right now; undefined when no check has one (never probed, or silent). */
function measuredNow(provider: Provider<CheckBase>, state: StateFile): ComponentStatus | undefined {
  const statuses = provider.checks.filter((check) => check.enabled).map((check) => state.checks[check.id]?.status ?? "unknown");
  const known = statuses.filter((status) => status !== "unknown");
  if (known.length === 0) return undefined;
  const down = known.filter((status) => status === "down").length;
  if (down > 0) return down === known.length ? "major_outage" : "partial_outage";
  return known.includes("degraded") ? "degraded_performance" : "operational";
}

/** What the recent samples say, so a check flapping between up and down cannot read as operational. */
function measuredRecently(recent: DayTotals): ComponentStatus | undefined {
  if (recent.count === 0) return undefined;
  if (recent.down / recent.count >= SHARE) return "partial_outage";
  if ((recent.degraded + recent.down) / recent.count >= SHARE) return "degraded_performance";
  return "operational";
}

/** A day from its samples: below 95 % uptime major, any down sample partial, a quarter slow degraded. */
function measuredDay(totals: DayTotals | undefined): ComponentStatus | undefined {
  if (!totals || totals.count === 0) return undefined;
  if ((totals.up + totals.degraded) / totals.count < MAJOR_DAY_UPTIME) return "major_outage";
  if (totals.down > 0) return "partial_outage";
  if (totals.degraded / totals.count >= SHARE) return "degraded_performance";
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

const iso = (at: string | undefined) => (at ? new Date(at).toISOString() : undefined);
const latest = (...times: (string | undefined)[]) => times.filter((at): at is string => at !== undefined).sort().at(-1);

/** The status an event gives a component while it is open, or undefined when it declares none. */
function eventEffect(event: Pick<EventBase, "components" | "impact"> & { kind: PublicEvent["kind"] }, component: string): ComponentStatus | undefined {
  const affected = event.components.find((entry) => entry.id === component);
  if (!affected) return undefined;
  if (event.kind === "maintenance") return affected.effect ?? "under_maintenance";
  return affected.effect ?? (event.impact === "none" ? undefined : IMPACT_STATUS[event.impact]);
}

const CLOSED = new Set(["resolved", "completed"]);
/** Maintenance announced or done holds no component; in progress and verifying do. */
const HOLDS = new Set(["investigating", "identified", "monitoring", "in_progress", "verifying"]);

/**
 * Each update's effect on the components, oldest first: an update that opens or reopens the event sets
 * them to its effect, one that resolves or completes it sets them back to operational; the rest change
 * nothing (Statuspage lists only changed components as affected_components).
 */
function withTransitions(updates: Omit<PublicUpdate, "transitions">[], event: Pick<EventBase, "components" | "impact"> & { kind: PublicEvent["kind"] }): PublicUpdate[] {
  const current = new Map(event.components.map((component) => [component.id, "operational" as ComponentStatus]));
  const oldestFirst = updates.map((update): PublicUpdate => {
    const transitions: Transition[] = [];
    for (const component of event.components) {
      const effect = eventEffect(event, component.id);
      if (!effect) continue;
      const target = CLOSED.has(update.status) ? "operational" : HOLDS.has(update.status) ? effect : current.get(component.id)!;
      if (target !== current.get(component.id)) transitions.push({ id: component.id, name: component.name, from: current.get(component.id)!, to: target });
      current.set(component.id, target);
    }
    return { ...update, transitions };
  });
  return oldestFirst.reverse();
}

/** The time the event last entered `status`: the first update of the newest unbroken run of it. */
function enteredAt(oldestFirst: readonly { at: string; status: string }[], status: string): string | undefined {
  let entered: string | undefined;
  for (const update of oldestFirst) {
    if (update.status === status) entered ??= update.at;
    else entered = undefined;
  }
  return entered;
}

/**
 * An incident or maintenance as the public sees it, or undefined when it is not public: it touches no
 * public component, it is a silent blip, or nothing of it is published yet (a maintenance is announced by
 * its first public update; nothing dated after the build is shown).
 */
function projectEvent(incident: Incident, names: ReadonlyMap<string, string>, now: Date): PublicEvent | undefined {
  const fm = incident.frontmatter;
  const at = now.getTime();
  const components = fm.providers
    .filter((id) => names.has(id))
    .map((id) => ({ id, name: names.get(id)!, ...(fm.components[id] ? { effect: fm.components[id] } : {}) }));
  if (components.length === 0) return undefined;
  const published = fm.updates
    .map((update, index) => ({ id: `${fm.id}-${index + 1}`, at: new Date(update.at).toISOString(), status: update.status, message: update.message }))
    .filter((update) => Date.parse(update.at) <= at)
    .sort((a, b) => a.at.localeCompare(b.at));
  // A blip recovered before anyone acted; without a public word about it, it is noise for customers.
  if (fm.automated?.blip && published.length === 0) return undefined;
  const base = { id: fm.id, title: fm.title, impact: fm.impact, components, ...(fm.summary ? { summary: fm.summary } : {}) };
  const updates = withTransitions(published, { ...base, kind: fm.kind });
  const newest = updates[0]?.at;

  if (fm.kind === "maintenance") {
    const createdAt = published[0]?.at;
    if (!createdAt) return undefined;
    const windows = maintenanceWindows(fm, now);
    const current = windows[0];
    const status: MaintenanceStatus = current?.status ?? (fm.recurrence ? "completed" : (fm.status as MaintenanceStatus));
    const scheduledFor = current?.start ?? iso(fm.scheduledFor);
    const scheduledUntil = current?.end ?? iso(fm.scheduledUntil);
    const begun = scheduledFor && Date.parse(scheduledFor) <= at ? scheduledFor : undefined;
    const resolvedAt = status === "completed" ? (enteredAt(published, "completed") ?? (scheduledUntil && Date.parse(scheduledUntil) <= at ? scheduledUntil : newest)) : undefined;
    return {
      ...base,
      updates,
      kind: "maintenance",
      status,
      createdAt,
      startedAt: begun ?? createdAt,
      updatedAt: latest(createdAt, newest, begun, resolvedAt)!,
      ...(resolvedAt ? { resolvedAt } : {}),
      ...(scheduledFor ? { scheduledFor } : {}),
      ...(scheduledUntil ? { scheduledUntil } : {}),
      recurring: Boolean(fm.recurrence),
      windows,
    };
  }

  const createdAt = published[0]?.at ?? iso(fm.detected) ?? iso(fm.started) ?? iso(fm.resolved);
  if (!createdAt || Date.parse(createdAt) > at) return undefined;
  const status = fm.status as IncidentStatus;
  const started = iso(fm.started) ?? iso(fm.detected);
  const restoredAt = status === "resolved" ? iso(fm.resolved) : undefined;
  const resolvedAt = status === "resolved" ? (enteredAt(published, "resolved") ?? latest(restoredAt && Date.parse(restoredAt) <= at ? restoredAt : undefined, newest, createdAt)) : undefined;
  const monitoringAt = status === "monitoring" || status === "resolved" ? enteredAt(published.filter((update) => update.status !== "resolved"), "monitoring") : undefined;
  return {
    ...base,
    updates,
    kind: "incident",
    status,
    createdAt,
    startedAt: started && Date.parse(started) <= at ? started : createdAt,
    updatedAt: latest(createdAt, newest, resolvedAt)!,
    ...(monitoringAt ? { monitoringAt } : {}),
    ...(resolvedAt ? { resolvedAt } : {}),
    ...(restoredAt ? { restoredAt } : {}),
  };
}

const isActiveMaintenance = (event: PublicMaintenance) => event.status === "in_progress" || event.status === "verifying";

/** When an event held the page, from its start to its end (or now); recurring maintenance: every window. */
function eventSpans(event: PublicEvent, incident: Incident, from: number, now: number): [number, number][] {
  if (event.kind === "maintenance") return maintenanceSpans(incident.frontmatter, from, now, event.resolvedAt ? Date.parse(event.resolvedAt) : undefined);
  const end = event.restoredAt ?? event.resolvedAt;
  return [[Date.parse(event.startedAt), end ? Math.min(now, Date.parse(end)) : now]];
}

interface Spanned {
  event: PublicEvent;
  spans: [number, number][];
}

/** Minutes of `spans` inside [start, end). */
function overlapMinutes(spans: readonly [number, number][], start: number, end: number): number {
  return spans.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, end) - Math.max(from, start)), 0) / 60_000;
}

/**
 * One day of a component: measured from its samples; a maintenance window explains the day's downtime
 * when the downtime fits inside the window (the day shows as maintenance, not as an outage); declared
 * incidents raise it; today's bar includes the status right now. Downtime beyond what any window
 * explains, longer than `incidents.blip`, on a day without a public incident is unplanned downtime.
 */
function dayBars(dates: readonly string[], totals: Map<string, DayTotals>, events: readonly Spanned[], component: string, current: PublicStatus, blipMinutes: number): DayBar[] {
  return dates.map((date, index) => {
    const start = Date.parse(`${date}T00:00:00Z`);
    const touching = events.filter((entry) => entry.spans.some(([from, to]) => from < start + DAY_MS && to >= start));
    const incidents = touching.filter((entry) => entry.event.kind === "incident");
    const windows = touching.filter((entry) => entry.event.kind === "maintenance");
    const plannedMinutes = Math.min(1440, overlapMinutes(windows.flatMap((entry) => entry.spans), start, start + DAY_MS));
    const day = totals.get(date);
    const downtimeMinutes = day?.downtimeMinutes ?? 0;
    const measured = measuredDay(day);
    const explained = windows.length > 0 && measured !== undefined && measured !== "operational" && downtimeMinutes <= plannedMinutes;
    const effectsOf = (list: readonly Spanned[]) => list.map((entry) => eventEffect(entry.event, component)).filter((effect): effect is ComponentStatus => effect !== undefined);
    const base: PublicStatus = explained ? worstStatus(effectsOf(windows)) : (measured ?? "no_data");
    const now = index === dates.length - 1 && current !== "no_data" && current !== "under_maintenance" ? [current] : [];
    return {
      date,
      status: worstStatus([base, ...effectsOf(incidents), ...now]),
      ...(day && day.count > 0 ? { uptime: (day.up + day.degraded) / day.count } : {}),
      downtimeMinutes,
      plannedMinutes,
      events: touching.map(({ event }) => ({ id: event.id, title: event.title, kind: event.kind })),
      unplanned: incidents.length === 0 && downtimeMinutes - plannedMinutes > blipMinutes,
    };
  });
}

function groupDays(components: readonly PublicComponent[], dates: readonly string[]): DayBar[] {
  return dates.map((date, index) => {
    const days = components.map((component) => component.days[index]!);
    const events = new Map(days.flatMap((day) => day.events).map((event) => [event.id, event]));
    const withUptime = days.filter((day) => day.uptime !== undefined);
    return {
      date,
      status: worstStatus(days.map((day) => day.status)),
      ...(withUptime.length > 0 ? { uptime: withUptime.reduce((sum, day) => sum + day.uptime!, 0) / withUptime.length } : {}),
      downtimeMinutes: Math.max(0, ...days.map((day) => day.downtimeMinutes)),
      plannedMinutes: Math.max(0, ...days.map((day) => day.plannedMinutes)),
      events: [...events.values()],
      unplanned: days.some((day) => day.unplanned),
    };
  });
}

/** Runs of consecutive unplanned-downtime days per component, newest first. */
function unplannedRuns(components: readonly PublicComponent[]): UnplannedDowntime[] {
  const runs: UnplannedDowntime[] = [];
  for (const component of components) {
    let run: UnplannedDowntime | undefined;
    for (const day of component.days) {
      if (!day.unplanned) {
        run = undefined;
        continue;
      }
      if (!run) {
        run = { component: { id: component.id, name: component.name }, from: day.date, to: day.date, downtimeMinutes: 0 };
        runs.push(run);
      }
      run.to = day.date;
      run.downtimeMinutes += day.downtimeMinutes;
    }
  }
  return runs.sort((a, b) => b.to.localeCompare(a.to) || a.component.name.localeCompare(b.component.name));
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
  const generatedAt = now.toISOString();
  const providers = input.providers.filter(isPublicProvider);
  const names = new Map(providers.map((provider) => [provider.id, provider.public.name]));
  const projected = input.incidents.flatMap((incident) => {
    const event = projectEvent(incident, names, now);
    return event ? [{ event, incident }] : [];
  });
  const events = projected.map((entry) => entry.event);
  const incidents = events.filter((event): event is PublicIncident => event.kind === "incident").sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
  const maintenances = events
    .filter((event): event is PublicMaintenance => event.kind === "maintenance")
    .sort((a, b) => (a.scheduledFor ?? a.startedAt).localeCompare(b.scheduledFor ?? b.startedAt) || a.id.localeCompare(b.id));
  const openIncidents = incidents.filter((incident) => incident.status !== "resolved");
  const activeMaintenances = maintenances.filter(isActiveMaintenance);
  const dates = barDates(now);
  const from = Date.parse(`${dates[0]}T00:00:00Z`);
  const spannedOf = new Map<string, Spanned[]>();
  for (const { event, incident } of projected) {
    const spanned = { event, spans: eventSpans(event, incident, from, at) };
    for (const { id } of event.components) spannedOf.set(id, [...(spannedOf.get(id) ?? []), spanned]);
  }
  const blipMinutes = config.incidents.blip / 60_000;

  const components: PublicComponent[] = providers.map((provider) => {
    const checks = provider.checks.filter((check) => check.enabled);
    const sets = checks.map((check) => input.rollups.get(check.id)).filter((set): set is RollupSet => set !== undefined);
    // The headline check for response time: the first one with latency data (a heartbeat has none).
    const timed = sets.find((set) => set.hourly.some((rollup) => rollup.p50 !== undefined) || set.daily.some((rollup) => rollup.p50 !== undefined));
    const effectsOf = (list: readonly PublicEvent[]) => list.map((event) => eventEffect(event, provider.id)).filter((effect): effect is ComponentStatus => effect !== undefined);
    const incidentEffects = effectsOf(openIncidents);
    const maintenance = effectsOf(activeMaintenances);
    const measured = [measuredNow(provider, state), measuredRecently(recentTotals(sets, now))].filter((status): status is ComponentStatus => status !== undefined);
    // Maintenance explains measured downtime: only a declared incident outranks it.
    const status = maintenance.length > 0 ? worstStatus([...maintenance, ...incidentEffects]) : worstStatus(measured.length > 0 || incidentEffects.length > 0 ? [...measured, ...incidentEffects] : ["no_data"]);
    const responseTime = recentResponseTime(timed, now);
    const since = firstDataDate(sets);
    const { uptime, coverage } = uptimeWindows(sets, now);
    const touching = spannedOf.get(provider.id) ?? [];
    const changed = latest(
      ...checks.map((check) => state.checks[check.id]?.since).filter((time) => time !== undefined && Date.parse(time) <= at).map(iso),
      ...touching.map((entry) => entry.event.updatedAt),
    );
    return {
      id: provider.id,
      name: provider.public.name,
      ...(provider.public.group ? { group: provider.public.group } : {}),
      ...(provider.public.description ? { description: provider.public.description } : {}),
      order: provider.public.order,
      status,
      hasHistory: since !== undefined || checks.some((check) => state.checks[check.id]?.lastSampleAt !== undefined),
      ...(since ? { since } : {}),
      ...(status !== "no_data" && changed ? { updatedAt: changed } : {}),
      uptime,
      coverage,
      ...(responseTime !== undefined ? { responseTime } : {}),
      days: dayBars(dates, dayTotals(sets, dates), touching, provider.id, status, blipMinutes),
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
      group = { id, ...(name ? { name } : {}), status: "no_data", components: [], days: [] };
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
    ...openIncidents.map((incident) => IMPACT_STATUS[incident.impact]).filter((status) => status !== "operational"),
    ...(activeMaintenances.length > 0 ? (["under_maintenance"] as const) : []),
  ]);
  const withData = components.filter((component) => component.status !== "no_data").length;
  return {
    page: {
      title: config.page.title,
      description: config.page.description,
      ...(config.page.url ? { url: config.page.url } : {}),
      basePath: config.page.basePath,
      ...(input.logo ? { logo: input.logo } : {}),
      ...(config.page.accent ? { accent: config.page.accent } : {}),
    },
    generatedAt,
    updatedAt: latest(...components.map((component) => component.updatedAt), ...events.map((event) => event.updatedAt)) ?? generatedAt,
    ...(state.lastRun?.at ? { lastCheckedAt: new Date(state.lastRun.at).toISOString() } : {}),
    ...staleness(input),
    overall: { status: overallStatus, indicator: INDICATOR[overallStatus], components: components.length, withData },
    groups,
    components,
    incidents,
    maintenances,
    openIncidents,
    activeMaintenances,
    upcomingMaintenances: maintenances.filter((event) => event.status === "scheduled" && event.scheduledFor !== undefined && Date.parse(event.scheduledFor) > at),
    unplanned: unplannedRuns(components),
  };
}
