import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { statuspageFiles } from "../lib/statuspage.ts";

export async function getStaticPaths() {
  const files = statuspageFiles(await statusModel());
  return [...files].map(([file, body]) => ({ params: { file }, props: { body } }));
}

export const GET: APIRoute = ({ props }) => new Response(JSON.stringify(props.body, null, 1), { headers: { "content-type": "application/json" } });
