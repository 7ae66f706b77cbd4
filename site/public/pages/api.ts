import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { statuspageFiles } from "../lib/statuspage.ts";

export async function getStaticPaths() {
  const model = await statusModel();
  // Statuspage's page.url and shortlinks are absolute addresses: without page.url there is no API (validate warns).
  if (!model.page.url) return [];
  const files = statuspageFiles(model);
  return [...files].map(([file, body]) => ({ params: { file }, props: { body } }));
}

export const GET: APIRoute = ({ props }) => new Response(JSON.stringify(props.body, null, 1), { headers: { "content-type": "application/json" } });
