import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { link, paths } from "../lib/paths.ts";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Every HTML page; absolute when page.url is set (search engines need that), rooted at the base path otherwise. */
export const GET: APIRoute = async () => {
  const model = await statusModel();
  const pages = [
    { path: "", at: model.lastCheckedAt ?? model.generatedAt },
    { path: paths.history(), at: model.generatedAt },
    ...model.components.map((component) => ({ path: paths.component(component.id), at: model.lastCheckedAt ?? model.generatedAt })),
    ...[...model.incidents, ...model.maintenances].map((event) => ({ path: paths.incident(event.id), at: event.updatedAt })),
  ];
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...pages.map((page) => `<url><loc>${escape(link(model.page, page.path))}</loc><lastmod>${page.at}</lastmod></url>`),
    "</urlset>",
    "",
  ].join("\n");
  return new Response(body, { headers: { "content-type": "application/xml" } });
};
