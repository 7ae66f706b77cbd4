import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { eventImage, hasOwnImage, homeImage } from "../lib/social.ts";

export async function getStaticPaths() {
  const model = await statusModel();
  // Social cards are found by their absolute address (og:image): without page.url nothing points to them.
  if (!model.page.url) return [];
  return [{ params: { file: "home.png" }, props: {} }, ...[...model.incidents, ...model.maintenances].filter((event) => hasOwnImage(model, event)).map((event) => ({ params: { file: `incidents/${event.id}.png` }, props: { event: event.id } }))];
}

export const GET: APIRoute = async ({ props }) => {
  const model = await statusModel();
  const event = [...model.incidents, ...model.maintenances].find((candidate) => candidate.id === props.event);
  const png = event ? await eventImage(model, event) : await homeImage(model);
  return new Response(new Blob([new Uint8Array(png)]), { headers: { "content-type": "image/png" } });
};
