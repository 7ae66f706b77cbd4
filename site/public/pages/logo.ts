import type { APIRoute } from "astro";
import { logoImage } from "../data.ts";

/** The configured logo (page.logo), copied into the site as logo.<ext>; validate has checked the file. */
export async function getStaticPaths() {
  const logo = await logoImage();
  return logo ? [{ params: { ext: logo.name.slice("logo.".length) } }] : [];
}

const TYPES: Record<string, string> = { svg: "image/svg+xml", png: "image/png", jpg: "image/jpeg", webp: "image/webp" };

export const GET: APIRoute = async ({ params }) => {
  const logo = (await logoImage())!;
  return new Response(new Blob([new Uint8Array(logo.bytes)]), { headers: { "content-type": TYPES[String(params.ext)] ?? "application/octet-stream" } });
};
