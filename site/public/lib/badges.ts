/**
 * Badges per component: shields.io endpoint JSON (schemaVersion 1) and a self-contained flat SVG with the
 * same label, message and colour. Colour thresholds follow the conventions badge users know (Upptime).
 */
import { WINDOW_LENGTH } from "../../../scripts/core/public-history.ts";
import type { PublicComponent, PublicStatus, StatusModel, UptimeWindow } from "../../../scripts/core/public-view.ts";
import { formatMs, formatUptime } from "./format.ts";
import { bannerText, statusLabel } from "./words.ts";

export type BadgeColor = "brightgreen" | "green" | "yellowgreen" | "yellow" | "orange" | "red" | "blue" | "lightgrey";

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

const HEX: Record<BadgeColor, string> = {
  brightgreen: "#1f7a1f",
  green: "#3d7a00",
  yellowgreen: "#6b6b00",
  yellow: "#8a6d00",
  orange: "#b34700",
  red: "#c0392b",
  blue: "#005a9e",
  lightgrey: "#666666",
};

const STATUS_COLOR: Record<PublicStatus, BadgeColor> = {
  no_data: "lightgrey",
  operational: "brightgreen",
  degraded_performance: "yellow",
  partial_outage: "orange",
  major_outage: "red",
  under_maintenance: "blue",
};

function uptimeColor(fraction: number | undefined): BadgeColor {
  if (fraction === undefined) return "lightgrey";
  const percent = fraction * 100;
  if (percent > 95) return "brightgreen";
  if (percent > 90) return "green";
  if (percent > 85) return "yellowgreen";
  if (percent > 80) return "yellow";
  if (percent > 75) return "orange";
  return "red";
}

function responseColor(ms: number | undefined): BadgeColor {
  if (ms === undefined) return "lightgrey";
  if (ms === 0) return "red";
  if (ms < 200) return "brightgreen";
  if (ms < 400) return "green";
  if (ms < 600) return "yellowgreen";
  if (ms < 800) return "yellow";
  if (ms < 1000) return "orange";
  return "red";
}

export const BADGE_NAMES = ["status", "uptime-24h", "uptime-7d", "uptime-30d", "uptime-90d", "response-time"] as const;
export type BadgeName = (typeof BADGE_NAMES)[number];

/** "uptime 90d", or the span with data when it is shorter: a 12-day figure is labelled "uptime 12d". */
function uptimeLabel(component: PublicComponent, window: UptimeWindow): string {
  const covered = component.coverage[window];
  if (covered === 0 || covered >= WINDOW_LENGTH[window]) return `uptime ${window}`;
  return `uptime ${covered}${window === "24h" ? "h" : "d"}`;
}

export function componentBadge(component: PublicComponent, name: BadgeName): Badge {
  if (name === "status") return { label: component.name, message: statusLabel(component).toLowerCase(), color: STATUS_COLOR[component.status] };
  if (name === "response-time") return { label: "response time 24h", message: formatMs(component.responseTime), color: responseColor(component.responseTime) };
  const window = name.slice("uptime-".length) as UptimeWindow;
  return { label: uptimeLabel(component, window), message: formatUptime(component.uptime[window]), color: uptimeColor(component.uptime[window]) };
}

export function pageBadge(model: StatusModel): Badge {
  return { label: model.page.title, message: bannerText(model).toLowerCase(), color: STATUS_COLOR[model.overall.status] };
}

/** The shields.io endpoint document; shields rejects unknown keys, so only documented ones appear. */
export function shieldsEndpoint(badge: Badge) {
  return { schemaVersion: 1, label: badge.label, message: badge.message, color: badge.color, cacheSeconds: 300 };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Approximate width of 11px Verdana text, close enough to size a badge without a font at hand. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/[ilj.,:;'!|]/.test(char)) width += 3.5;
    else if (/[A-Z%mw]/.test(char)) width += 8.5;
    else width += 6.8;
  }
  return Math.ceil(width);
}

/** A flat badge, self-contained (no fonts, links or scripts), with its text as an accessible name. */
export function badgeSvg(badge: Badge): string {
  const left = textWidth(badge.label) + 12;
  const right = textWidth(badge.message) + 12;
  const width = left + right;
  const label = escapeXml(badge.label);
  const message = escapeXml(badge.message);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${message}">`,
    `<title>${label}: ${message}</title>`,
    `<rect width="${left}" height="20" fill="#555"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${HEX[badge.color]}"/>`,
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${left / 2}" y="14">${label}</text>`,
    `<text x="${left + right / 2}" y="14">${message}</text>`,
    `</g></svg>`,
  ].join("");
}
