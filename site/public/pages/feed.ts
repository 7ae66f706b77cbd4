import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { componentFeeds, pageFeeds } from "../lib/feeds.ts";

export async function getStaticPaths() {
  const model = await statusModel();
  // Feeds need absolute addresses: without page.url there are none (validate warns).
  if (!model.page.url) return [];
  return [
    ...(["rss", "atom"] as const).map((format) => ({ params: { path: `history.${format}` }, props: { format } })),
    ...model.components.flatMap((component) =>
      (["rss", "atom"] as const).map((format) => ({ params: { path: `components/${component.id}/history.${format}` }, props: { format, component: component.id } })),
    ),
  ];
}

export const GET: APIRoute = async ({ props }) => {
  const model = await statusModel();
  const feeds = props.component ? componentFeeds(model, props.component) : pageFeeds(model);
  const type = props.format === "rss" ? "application/rss+xml" : "application/atom+xml";
  return new Response(feeds[props.format as "rss" | "atom"], { headers: { "content-type": type } });
};
