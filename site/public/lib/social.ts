/**
 * Social images (1200×630 PNG) for the home page and each incident, drawn by satori from the status model
 * and rasterised by resvg. The font ships in an npm package (@fontsource/inter), so nothing is fetched.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import type { PublicEvent, PublicStatus, StatusModel } from "../../../scripts/core/public-view.ts";
import { t } from "../../shared/strings.ts";
import { formatTime } from "./format.ts";
import { clip } from "./markdown.ts";
import { bannerText } from "./words.ts";

const COLOR: Record<PublicStatus, string> = {
  no_data: "#6e7781",
  operational: "#1a7f37",
  degraded_performance: "#9a6700",
  partial_outage: "#bc4c00",
  major_outage: "#cf222e",
  under_maintenance: "#0969da",
};

interface Node {
  type: string;
  props: { style?: Record<string, unknown>; children?: string | Node | (string | Node)[] };
}

const el = (style: Record<string, unknown>, children?: Node["props"]["children"]): Node => ({ type: "div", props: { style: { display: "flex", ...style }, children } });

/** The shape that goes with a status, drawn rather than typed (the font has no geometric glyphs). */
function shape(status: PublicStatus): Node {
  const size = 44;
  const color = COLOR[status];
  const styles: Record<PublicStatus, Record<string, unknown>> = {
    no_data: { width: size, height: size, borderRadius: size / 2, border: `6px solid ${color}` },
    operational: { width: size, height: size, borderRadius: size / 2, background: color },
    degraded_performance: { width: 0, height: 0, borderLeft: `${size / 2}px solid transparent`, borderRight: `${size / 2}px solid transparent`, borderBottom: `${size}px solid ${color}` },
    partial_outage: { width: 0, height: 0, borderTop: `${size}px solid ${color}`, borderRight: `${size}px solid transparent` },
    major_outage: { width: size, height: size, background: color },
    under_maintenance: { width: size * 0.75, height: size * 0.75, background: color, transform: "rotate(45deg)" },
  };
  return el(styles[status]);
}

let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: "normal" }[]> | undefined;

function loadFonts() {
  const require = createRequire(import.meta.url);
  const font = (weight: 400 | 700) => readFile(require.resolve(`@fontsource/inter/files/inter-latin-${weight}-normal.woff`));
  fonts ??= Promise.all([font(400), font(700)]).then(([regular, bold]) => [
    { name: "Inter", data: regular, weight: 400 as const, style: "normal" as const },
    { name: "Inter", data: bold, weight: 700 as const, style: "normal" as const },
  ]);
  return fonts;
}

/**
 * Incidents and maintenance get their own image while they are open or were updated in the last 90 days;
 * older ones share the home image (rendering a thousand old cards would dominate the build).
 */
export const OWN_IMAGE_DAYS = 90;

export function hasOwnImage(model: StatusModel, event: PublicEvent): boolean {
  const open = event.kind === "incident" ? event.status !== "resolved" : event.status !== "completed";
  return open || Date.parse(event.updatedAt) >= Date.parse(model.generatedAt) - OWN_IMAGE_DAYS * 86_400_000;
}



function card(model: StatusModel, headline: string, status: PublicStatus, statusText: string, footer: string): Node {
  return el({ flexDirection: "column", justifyContent: "space-between", width: "100%", height: "100%", padding: 72, background: "#ffffff", color: "#1a1a1a", fontFamily: "Inter", borderTop: `16px solid ${COLOR[status]}` }, [
    el({ fontSize: 36, color: "#595959" }, clip(model.page.title, 60)),
    el({ flexDirection: "column" }, [
      el({ fontSize: 68, fontWeight: 700, lineHeight: 1.15 }, clip(headline, 90)),
      el({ alignItems: "center", marginTop: 36, fontSize: 40, color: COLOR[status] }, [shape(status), el({ marginLeft: 20 }, statusText)]),
    ]),
    el({ fontSize: 28, color: "#595959" }, footer),
  ]);
}

async function render(node: Node): Promise<Uint8Array> {
  const svg = await satori(node as unknown as Parameters<typeof satori>[0], { width: 1200, height: 630, fonts: await loadFonts() });
  return new Resvg(svg, { fitTo: { mode: "width", value: 1200 } }).render().asPng();
}

export function homeImage(model: StatusModel): Promise<Uint8Array> {
  const status = model.overall.status;
  return render(card(model, bannerText(model), status, t(`status.${status}`), `Updated ${formatTime(model.lastCheckedAt ?? model.generatedAt)}`));
}

export function eventImage(model: StatusModel, event: PublicEvent): Promise<Uint8Array> {
  const status: PublicStatus =
    event.kind === "maintenance"
      ? "under_maintenance"
      : event.status === "resolved"
        ? "operational"
        : ({ none: "degraded_performance", minor: "degraded_performance", major: "partial_outage", critical: "major_outage" } as const)[event.impact];
  const affected = clip(event.components.map((component) => component.name).join(", "), 70);
  return render(card(model, event.title, status, `${t(`incident.${event.status}`)} · ${affected}`, `Updated ${formatTime(event.updatedAt)}`));
}
