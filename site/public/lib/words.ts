/**
 * The status model in words, one function per sentence, so the page, the component page, the badges, the
 * feeds and the social images say the same thing (docs/public-site.md, "How statuses are decided").
 */
import type { DayBar, PublicComponent, PublicStatus, StatusModel, UnplannedDowntime, UptimeWindow } from "../../../scripts/core/public-view.ts";
import { WINDOW_LENGTH } from "../../../scripts/core/public-history.ts";
import { t } from "../../shared/strings.ts";
import { formatDate, formatDuration, formatUptime } from "./format.ts";

/** A component's status: "No data yet" before its first sample, "No recent data" once its checks fell silent. */
export function statusLabel(component: Pick<PublicComponent, "status" | "hasHistory">): string {
  if (component.status === "no_data") return t(component.hasHistory ? "status.no_recent_data" : "status.no_data");
  return t(`status.${component.status}`);
}

/**
 * The banner: the worst status, and never "All systems operational" while some component has no data:
 * it then says how many components the good news covers.
 */
export function bannerText(model: Pick<StatusModel, "overall">): string {
  const { status, components, withData } = model.overall;
  if (status === "operational" && withData < components) {
    return `${withData} of ${components} components operational; ${components - withData} without data yet`;
  }
  return t(`banner.${status}`);
}

const UNIT: Record<UptimeWindow, [string, string]> = { "24h": ["hour", "hours"], "7d": ["day", "days"], "30d": ["day", "days"], "90d": ["day", "days"] };
const plural = (count: number, [one, many]: [string, string]) => `${count} ${count === 1 ? one : many}`;

/** "99.25% uptime over 90 days", "99.25% uptime over the 12 days with data", "No data yet". */
export function uptimeText(component: Pick<PublicComponent, "uptime" | "coverage">, window: UptimeWindow): string {
  const fraction = component.uptime[window];
  if (fraction === undefined) return t("status.no_data");
  const covered = component.coverage[window];
  const over = covered >= WINDOW_LENGTH[window] ? plural(WINDOW_LENGTH[window], UNIT[window]) : `the ${plural(covered, UNIT[window])} with data`;
  return `${formatUptime(fraction)} uptime over ${over}`;
}

/** The figure alone with its coverage, for the component page's tiles: "99.25%" or "99.25% (12 days with data)". */
export function uptimeFigure(component: Pick<PublicComponent, "uptime" | "coverage">, window: UptimeWindow): string {
  const fraction = component.uptime[window];
  if (fraction === undefined) return t("status.no_data");
  const covered = component.coverage[window];
  return covered >= WINDOW_LENGTH[window] ? formatUptime(fraction) : `${formatUptime(fraction)} (${plural(covered, UNIT[window])} with data)`;
}

/** One bar in words: date, uptime, downtime and what explains it; never "no incidents" for unexplained downtime. */
export function dayText(day: DayBar): string {
  const parts = [`${formatDate(day.date)}: ${day.uptime === undefined ? t("status.no_data").toLowerCase() : `${formatUptime(day.uptime)} uptime`}`];
  if (day.downtimeMinutes > 0) parts.push(`${formatDuration(day.downtimeMinutes * 60_000)} down`);
  if (day.events.length > 0) parts.push(day.events.map((event) => event.title).join("; "));
  else if (day.unplanned) parts.push(`${t("public.unplanned").toLowerCase()} (${t("public.unplannedNote")})`);
  else if (day.uptime !== undefined) parts.push(day.downtimeMinutes > 0 ? "a short interruption, no incident" : "no incidents");
  return parts.join(", ");
}

/** "Payments: unplanned downtime" and when: "3 Dec 2026, 12 h down" or "1 Dec – 4 Dec 2026, 2 d down in total". */
export function unplannedTitle(run: UnplannedDowntime): string {
  return `${run.component.name}: ${t("public.unplanned").toLowerCase()}`;
}

export function unplannedWhen(run: UnplannedDowntime): string {
  const down = formatDuration(run.downtimeMinutes * 60_000);
  return run.from === run.to ? `${formatDate(run.from)}, ${down} down` : `${formatDate(run.from)} – ${formatDate(run.to)}, ${down} down in total`;
}

/** Every public status a bar or a mark can have, in the order the legend lists them. */
export const LEGEND: PublicStatus[] = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance", "no_data"];
