import type { APIRoute } from "astro";
import { statusModel } from "../data.ts";
import { BADGE_NAMES, badgeSvg, componentBadge, pageBadge, shieldsEndpoint, type Badge } from "../lib/badges.ts";

export async function getStaticPaths() {
  const model = await statusModel();
  const badges: [string, Badge][] = [
    ["status", pageBadge(model)],
    ...model.components.flatMap((component) => BADGE_NAMES.map((name) => [`${component.id}/${name}`, componentBadge(component, name)] as [string, Badge])),
  ];
  return badges.flatMap(([path, badge]) => [
    { params: { file: `${path}.svg` }, props: { body: badgeSvg(badge), type: "image/svg+xml" } },
    { params: { file: `${path}.json` }, props: { body: JSON.stringify(shieldsEndpoint(badge)), type: "application/json" } },
  ]);
}

export const GET: APIRoute = ({ props }) => new Response(props.body, { headers: { "content-type": props.type } });
