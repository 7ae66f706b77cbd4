/**
 * RSS 2.0 and Atom 1.0 feeds of incidents and maintenance, Statuspage-style: one item per event whose
 * guid is its permalink (so readers announce it once), every public update inside newest first, and the
 * item dated by its latest update. Safe in every reader: titles and summaries are text escaped as HTML
 * (readers that render them as HTML show the text, never markup), content is HTML passed through the
 * page's own sanitizer, and nothing is dated after the build. Feeds need absolute addresses, so they
 * exist only when page.url is set.
 */
import { Feed } from "feed";
import type { PublicEvent, StatusModel } from "../../../scripts/core/public-view.ts";
import { t } from "../../shared/strings.ts";
import { formatTime } from "./format.ts";
import { escapeHtml, plainText, renderMarkdown, sanitize } from "./markdown.ts";
import { absolute, paths } from "./paths.ts";

/** Items per feed: the most recently updated events (the history page has them all). */
export const FEED_ITEMS = 50;

/** "Scheduled: the message", unless the message already opens with its status ("Scheduled: …"). */
export function labelled(label: string, text: string): string {
  return text.toLowerCase().startsWith(`${label.toLowerCase()}:`) ? text : `${label}: ${text}`;
}

function content(event: PublicEvent): string {
  const parts: string[] = [];
  if (event.kind === "maintenance" && event.scheduledFor && event.scheduledUntil) {
    parts.push(`<p><strong>Scheduled maintenance: ${formatTime(event.scheduledFor)} – ${formatTime(event.scheduledUntil)}</strong></p>`);
  }
  parts.push(`<p>${escapeHtml(t("public.affected"))}: ${event.components.map((component) => escapeHtml(component.name)).join(", ")}</p>`);
  for (const update of event.updates) {
    parts.push(`<p><strong>${escapeHtml(t(`incident.${update.status}`))}</strong> · <em>${formatTime(update.at)}</em></p>${renderMarkdown(update.message)}`);
  }
  return sanitize(parts.join("\n"));
}

/** The latest update as one line of text, escaped for the HTML the formats declare their summaries to be. */
function summary(event: PublicEvent): string {
  const latest = event.updates[0];
  const label = t(`incident.${latest?.status ?? event.status}`);
  return escapeHtml(latest ? labelled(label, plainText(latest.message)) : label);
}

export interface FeedFiles {
  rss: string;
  atom: string;
}

export function eventFeeds(model: StatusModel, events: readonly PublicEvent[], options: { title: string; rss: string; atom: string; home: string }): FeedFiles {
  const url = (path: string) => absolute(model.page, path)!;
  const items = [...events].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, FEED_ITEMS);
  const newest = [items[0]?.updatedAt ?? model.updatedAt, model.generatedAt].sort()[0]!;
  // Atom's feed title and subtitle are text constructs; RSS readers often treat channel text as HTML.
  const build = (text: (value: string) => string) => {
    const feed = new Feed({
      id: url(options.atom),
      title: text(options.title),
      description: text(model.page.description || options.title),
      link: url(options.home),
      language: "en",
      generator: "Signalroom",
      updated: new Date(newest),
      author: { name: model.page.title, link: url("") },
      feedLinks: { rss: url(options.rss), atom: url(options.atom) },
    });
    for (const event of items) {
      feed.addItem({ title: escapeHtml(event.title), link: url(paths.incident(event.id)), date: new Date(event.updatedAt), description: summary(event), content: content(event) });
    }
    return feed;
  };
  return { rss: build(escapeHtml).rss2(), atom: build((value) => value).atom1() };
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
