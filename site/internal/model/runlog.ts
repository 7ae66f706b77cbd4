/**
 * The structured run log (playbook §6.1.2–6.1.3) as static pages: the recent runs, one page per filter
 * (level, provider, request id, run) so filtering works without JavaScript, and one request's lifecycle
 * in time order with the offset of each step from the first.
 */
import type { CheckBase } from "../../../scripts/core/model.ts";
import type { LogEntry } from "../../../scripts/core/schema/records.ts";
import { t } from "../../shared/strings.ts";
import { fill, latency, moment, slug, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";

export const LEVELS = ["debug", "info", "warning", "error", "critical"] as const;
export type Level = (typeof LEVELS)[number];

export interface EntryRow {
  at: Moment;
  /** "+1.25 s" from the first entry of a request's lifecycle. */
  offset?: string;
  level: Level;
  service: string;
  message: string;
  /** Links only where the run's or request's page was generated (the most recent ones). */
  run: { id: string; href?: string };
  request?: { id: string; href?: string };
  provider?: { id: string; name: string; href: string };
  check?: string;
  step?: string;
  duration: string;
  context: string;
}

export interface LogPage {
  /** Path inside the room, e.g. `log/level/error/`. */
  path: string;
  title: string;
  description: string;
  kind: "all" | "level" | "provider" | "request" | "run";
  /** Which filter link is the current page. */
  current?: string;
  entries: EntryRow[];
  total: number;
}

export interface LogView {
  from?: Moment;
  runs: { id: string; href: string; at: Moment; entries: number; problems: number; duration: string }[];
  filters: {
    levels: { level: Level; count: number; href: string; path: string }[];
    providers: { id: string; name: string; count: number; href: string; path: string }[];
    requests: { id: string; count: number; href: string; path: string; first: Moment }[];
  };
  pages: LogPage[];
}

const logPath = {
  all: () => "log/",
  level: (level: string) => `log/level/${level}/`,
  provider: (id: string) => `log/provider/${slug(id)}/`,
  request: (id: string) => `log/request/${slug(id)}/`,
  run: (id: string) => `log/run/${slug(id)}/`,
};

function contextText(entry: LogEntry): string {
  const rest = Object.fromEntries(Object.entries(entry.context).filter(([key]) => key !== "step"));
  return Object.keys(rest).length === 0 ? "" : JSON.stringify(rest);
}

export function buildLogView<C extends CheckBase>(data: RoomData<C>, href: Href, options = { perPage: 200, runs: 30, requests: 300 }): LogView {
  const timeZone = data.model.config.page.timezone;
  const providerName = (id: string) => data.model.providers.find((provider) => provider.id === id)?.name ?? id;
  const entries = [...data.log].sort((a, b) => a.at.localeCompare(b.at));
  const group = (key: (entry: LogEntry) => string | undefined) => {
    const groups = new Map<string, LogEntry[]>();
    for (const entry of entries) {
      const value = key(entry);
      if (value !== undefined) groups.set(value, [...(groups.get(value) ?? []), entry]);
    }
    return groups;
  };
  const recent = (groups: Map<string, LogEntry[]>, count: number) => [...groups].sort(([, a], [, b]) => b[0]!.at.localeCompare(a[0]!.at)).slice(0, count);
  const byProvider = group((entry) => entry.provider);
  const recentRequests = recent(group((entry) => entry.requestId), options.requests);
  const recentRuns = recent(group((entry) => entry.run), options.runs);
  const withPage = { runs: new Set(recentRuns.map(([id]) => id)), requests: new Set(recentRequests.map(([id]) => id)) };

  const row = (entry: LogEntry, first?: LogEntry): EntryRow => ({
    at: moment(entry.at, data.now, timeZone),
    offset: first ? `+${latency(Date.parse(entry.at) - Date.parse(first.at))}` : undefined,
    level: entry.level,
    service: entry.service,
    message: entry.message,
    run: { id: entry.run, href: withPage.runs.has(entry.run) ? href(logPath.run(entry.run)) : undefined },
    request: entry.requestId ? { id: entry.requestId, href: withPage.requests.has(entry.requestId) ? href(logPath.request(entry.requestId)) : undefined } : undefined,
    provider: entry.provider ? { id: entry.provider, name: providerName(entry.provider), href: href(logPath.provider(entry.provider)) } : undefined,
    check: entry.check,
    step: typeof entry.context.step === "string" ? entry.context.step : undefined,
    duration: entry.durationMs === undefined ? "" : latency(entry.durationMs),
    context: contextText(entry),
  });
  const newest = (list: LogEntry[]) => list.slice(-options.perPage).reverse().map((entry) => row(entry));
  const pages: LogPage[] = [
    { path: logPath.all(), title: t("log.title"), description: fill(t("log.all"), { count: entries.length }), kind: "all", entries: newest(entries), total: entries.length },
    ...LEVELS.map((level) => {
      const list = entries.filter((entry) => entry.level === level);
      return { path: logPath.level(level), title: fill(t("log.level"), { level }), description: fill(t("log.filtered"), { count: list.length }), kind: "level" as const, current: level, entries: newest(list), total: list.length };
    }),
    ...[...byProvider].map(([id, list]) => ({
      path: logPath.provider(id),
      title: fill(t("log.provider"), { name: providerName(id) }),
      description: fill(t("log.filtered"), { count: list.length }),
      kind: "provider" as const,
      current: id,
      entries: newest(list),
      total: list.length,
    })),
    ...recentRequests.map(([id, list]) => ({
      path: logPath.request(id),
      title: fill(t("log.request"), { id }),
      description: t("log.lifecycle"),
      kind: "request" as const,
      current: id,
      entries: list.map((entry) => row(entry, list[0])),
      total: list.length,
    })),
    ...recentRuns.map(([id, list]) => ({
      path: logPath.run(id),
      title: fill(t("log.run"), { id }),
      description: fill(t("log.filtered"), { count: list.length }),
      kind: "run" as const,
      current: id,
      entries: list.map((entry) => row(entry, list[0])),
      total: list.length,
    })),
  ];

  return {
    from: entries[0] ? moment(entries[0].at, data.now, timeZone) : undefined,
    runs: recentRuns.map(([id, list]) => ({
      id,
      href: href(logPath.run(id)),
      at: moment(list[0]!.at, data.now, timeZone),
      entries: list.length,
      problems: list.filter((entry) => ["warning", "error", "critical"].includes(entry.level)).length,
      duration: latency(Date.parse(list.at(-1)!.at) - Date.parse(list[0]!.at)),
    })),
    filters: {
      levels: LEVELS.map((level) => ({ level, count: entries.filter((entry) => entry.level === level).length, href: href(logPath.level(level)), path: logPath.level(level) })),
      providers: [...byProvider].map(([id, list]) => ({ id, name: providerName(id), count: list.length, href: href(logPath.provider(id)), path: logPath.provider(id) })),
      requests: recentRequests.map(([id, list]) => ({ id, count: list.length, href: href(logPath.request(id)), path: logPath.request(id), first: moment(list[0]!.at, data.now, timeZone) })),
    },
    pages,
  };
}
