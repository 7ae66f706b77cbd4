import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { absolute, paths } from "../lib/paths.ts";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Every HTML page by its absolute address; search engines need those, so there is no sitemap without page.url. */
export async function getStaticPaths() {
  const model = await statusModel();
  return model.page.url ? [{ params: { ext: "xml" } }] : [];
}

export const GET: APIRoute = async () => {
  const model = await statusModel();
  const pages = [
    { path: "", at: model.updatedAt },
    { path: paths.history(), at: model.updatedAt },
    ...model.components.map((component) => ({ path: paths.component(component.id), at: component.updatedAt ?? model.updatedAt })),
    ...[...model.incidents, ...model.maintenances].map((event) => ({ path: paths.incident(event.id), at: event.updatedAt })),
  ];
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...pages.map((page) => `<url><loc>${escape(absolute(model.page, page.path)!)}</loc><lastmod>${page.at}</lastmod></url>`),
    "</urlset>",
    "",
  ].join("\n");
  return new Response(body, { headers: { "content-type": "application/xml" } });
};
