/**
 * Routes of the public site. Every entry point renders the status model (./data.ts) and nothing else; a
 * test walks their import graph (test/public-site/imports.test.ts).
 */
const route = (pattern: string, file: string) => ({ pattern, entrypoint: `./site/public/pages/${file}` });

export const publicRoutes = [
  route("/", "index.astro"),
  route("/404", "404.astro"),
  route("/history", "history.astro"),
  route("/incidents/[id]", "incident.astro"),
  route("/components/[id]", "component.astro"),
  route("/api/v2/[...file]", "api.ts"),
  route("/[...path]", "feed.ts"),
  route("/badges/[...file]", "badge.ts"),
  route("/og/[...file]", "image.ts"),
  route("/robots.txt", "robots.ts"),
  route("/sitemap.[ext]", "sitemap.ts"),
  route("/favicon.svg", "favicon.ts"),
  route("/logo.[ext]", "logo.ts"),
];
