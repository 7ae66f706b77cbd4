/**
 * RSS 2.0 and Atom 1.0 feeds of incidents and maintenance, Statuspage-style: one item per event whose
 * guid is its permalink (so readers announce it once), every public update inside newest first, and the
 * item dated by its latest update.
 */
import { Feed } from "feed";
import type { PublicEvent, StatusModel } from "../../../scripts/core/public-view.ts";
import { t } from "../../shared/strings.ts";
import { formatTime } from "./format.ts";
import { plainText, renderMarkdown } from "./markdown.ts";
import { link, paths } from "./paths.ts";

/** Items per feed: the most recently updated events (the history page has them all). */
export const FEED_ITEMS = 50;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function content(event: PublicEvent): string {
  const parts: string[] = [];
  if (event.kind === "maintenance" && event.scheduledFor && event.scheduledUntil) {
    parts.push(`<p><strong>Scheduled maintenance: ${formatTime(event.scheduledFor)} – ${formatTime(event.scheduledUntil)}</strong></p>`);
  }
  parts.push(`<p>${escapeHtml(t("public.affected"))}: ${event.components.map((component) => escapeHtml(component.name)).join(", ")}</p>`);
  for (const update of event.updates) {
    parts.push(`<p><small>${formatTime(update.at)}</small><br><strong>${escapeHtml(t(`incident.${update.status}`))}</strong></p>${renderMarkdown(update.message)}`);
  }
  return parts.join("\n");
}

export interface FeedFiles {
  rss: string;
  atom: string;
}

export function eventFeeds(model: StatusModel, events: readonly PublicEvent[], options: { title: string; rss: string; atom: string; home: string }): FeedFiles {
  const items = [...events].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, FEED_ITEMS);
  const feed = new Feed({
    id: link(model.page, options.atom),
    title: options.title,
    description: model.page.description || options.title,
    link: link(model.page, options.home),
    language: "en",
    generator: "Signalroom",
    updated: new Date(items[0]?.updatedAt ?? model.generatedAt),
    feedLinks: { rss: link(model.page, options.rss), atom: link(model.page, options.atom) },
  });
  for (const event of items) {
    const latest = event.updates[0];
    feed.addItem({
      title: event.title,
      link: link(model.page, paths.incident(event.id)),
      date: new Date(event.updatedAt),
      description: latest ? `${t(`incident.${latest.status}`)}: ${plainText(latest.message)}` : t(`incident.${event.status}`),
      content: content(event),
    });
  }
  return { rss: feed.rss2(), atom: feed.atom1() };
}

export function pageFeeds(model: StatusModel): FeedFiles {
  return eventFeeds(model, [...model.incidents, ...model.maintenances], {
    title: `${model.page.title} - ${t("public.history")}`,
    rss: paths.rss(),
    atom: paths.atom(),
    home: "",
  });
}

export function componentFeeds(model: StatusModel, id: string): FeedFiles {
  const component = model.components.find((candidate) => candidate.id === id)!;
  const events = [...model.incidents, ...model.maintenances].filter((event) => event.components.some((entry) => entry.id === id));
  return eventFeeds(model, events, {
    title: `${model.page.title} - ${component.name} - ${t("public.history")}`,
    rss: paths.componentRss(id),
    atom: paths.componentAtom(id),
    home: paths.component(id),
  });
}
