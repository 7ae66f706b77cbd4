import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { absolute } from "../lib/paths.ts";

export const GET: APIRoute = async () => {
  const model = await statusModel();
  const sitemap = absolute(model.page, "sitemap.xml");
  return new Response(`User-agent: *\nAllow: /\n${sitemap ? `Sitemap: ${sitemap}\n` : ""}`, { headers: { "content-type": "text/plain" } });
};
