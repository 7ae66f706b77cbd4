import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";

/** The page's icon: a pulse in white on the accent colour (page.accent), self-contained SVG. */
export const GET: APIRoute = async () => {
  const { page } = await statusModel();
  const svg = [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">',
    `<rect width="32" height="32" rx="7" fill="${page.accent ?? "#0550ae"}"/>`,
    '<path d="M4 17h6l3-7 5 13 3-6h7" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>',
    "</svg>",
  ].join("");
  return new Response(svg, { headers: { "content-type": "image/svg+xml" } });
};
