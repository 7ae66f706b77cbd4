/** Links under the site's base path (user.github.io/repo) and absolute URLs for feeds, sitemap and canonical links. */
import type { StatusModel } from "../../../scripts/core/public-view.ts";

type Page = StatusModel["page"];

/** `path` (relative, e.g. "incidents/x/") under the base path: "/repo/incidents/x/". */
export function href(page: Page, path = ""): string {
  const base = page.basePath.endsWith("/") ? page.basePath : `${page.basePath}/`;
  return `${base}${path.replace(/^\//, "")}`;
}

/**
 * The absolute address of `path`, or undefined when `page.url` is not set. `page.url` may name the host
 * alone (https://status.example.com) or include the base path (https://user.github.io/repo).
 */
export function absolute(page: Page, path = ""): string | undefined {
  if (!page.url) return undefined;
  const url = new URL(page.url);
  const trimmed = url.pathname.replace(/\/$/, "");
  const root = trimmed && trimmed !== "/" ? `${trimmed}/` : href(page);
  return new URL(`${root}${path.replace(/^\//, "")}`, url.origin).toString();
}

/** Absolute when the site's address is known, else rooted at the base path. */
export function link(page: Page, path = ""): string {
  return absolute(page, path) ?? href(page, path);
}

export const paths = {
  incident: (id: string) => `incidents/${id}/`,
  component: (id: string) => `components/${id}/`,
  history: () => "history/",
  rss: () => "history.rss",
  atom: () => "history.atom",
  componentRss: (id: string) => `components/${id}/history.rss`,
  componentAtom: (id: string) => `components/${id}/history.atom`,
  api: (name: string) => `api/v2/${name}.json`,
  badge: (component: string, name: string, ext: "svg" | "json") => `badges/${component}/${name}.${ext}`,
  image: (name: string) => `og/${name}.png`,
  favicon: () => "favicon.svg",
};

/**
 * An address as HTML that wraps only after a slash, a dot or a dash: long badge addresses break at their
 * parts, never in the middle of a word. The text is escaped; <wbr> marks the places a line may end.
 */
export function breakable(address: string): string {
  const escaped = address.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return escaped.replace(/([/.-])(?=[^/.-])/g, "$1<wbr>");
}
