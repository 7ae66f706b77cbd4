/**
 * The words of a notification, shared by every channel (playbook §6.3.3): a headline, then STATUS, IMPACT,
 * STARTED, LEAD and the next steps; on resolution the DURATION and when it RESOLVED. Channels only lay
 * these out in their own format.
 */
import type { Notification, NotificationItem, NotificationKind } from "../core/schema/records.ts";

export const EMOJI: Record<NotificationKind, string> = {
  trigger: "🚨",
  reminder: "⏰",
  escalation: "📣",
  raise: "🔺",
  acknowledge: "👀",
  resolve: "✅",
  test: "🧪",
  undelivered: "📭",
};

const LABEL: Record<NotificationKind, string> = {
  trigger: "ALERT",
  reminder: "REMINDER",
  escalation: "ESCALATION",
  raise: "RAISED",
  acknowledge: "ACKNOWLEDGED",
  resolve: "RESOLVED",
  test: "TEST",
  undelivered: "NOT DELIVERED",
};

/** `2026-11-16 10:45 UTC` */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `52 minutes`, `2 h 5 min`, `3 d 4 h` */
export function formatElapsed(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

/** `🚨 ALERT (CRITICAL): Payment webhooks: stripe-webhook-down` */
export function headline(item: NotificationItem): string {
  const severity = item.kind === "test" || item.kind === "resolve" ? "" : ` (${item.severity.toUpperCase()})`;
  return `${EMOJI[item.kind]} ${LABEL[item.kind]}${severity}: ${item.title}`;
}

/** The labelled fields of one item, in the playbook's order. */
export function fields(item: NotificationItem): [label: string, value: string][] {
  const rows: [string, string][] = [
    ["STATUS", item.status],
    ["IMPACT", item.impact],
    ["STARTED", formatInstant(item.startedAt)],
  ];
  if (item.durationMs !== undefined) rows.push(["DURATION", formatElapsed(item.durationMs)]);
  if (item.resolvedAt) rows.push(["RESOLVED", formatInstant(item.resolvedAt)]);
  rows.push(["LEAD", item.lead]);
  if (item.detail) rows.push(["EVIDENCE", item.detail]);
  if (item.incident) rows.push(["INCIDENT", item.incident]);
  return rows;
}

export function nextSteps(item: NotificationItem): string[] {
  return item.next.map((step) => `- ${step}`);
}

/**
 * One line of a message before any channel's markup. Channels lay each kind out their own way (bold labels,
 * escaping), and cut messages only between lines or inside a line's plain text (scripts/notify/fit.ts), so a
 * cut never splits a tag or an entity.
 */
export type Line =
  | { kind: "headline" | "heading" | "step" | "note"; text: string }
  | { kind: "field"; label: string; text: string };

/** One item as lines: the headline, the playbook fields, then the next steps under their heading. */
export function itemLines(item: NotificationItem): Line[] {
  return [
    { kind: "headline", text: headline(item) },
    ...fields(item).map(([label, text]): Line => ({ kind: "field", label, text })),
    ...(item.next.length ? [{ kind: "heading" as const, text: "Next steps" }, ...item.next.map((text): Line => ({ kind: "step", text }))] : []),
  ];
}

/** A line as plain text. */
export function plainLine(line: Line): string {
  if (line.kind === "field") return `${line.label}: ${line.text}`;
  if (line.kind === "heading") return `${line.text}:`;
  return line.kind === "step" ? `- ${line.text}` : line.text;
}

/** Lines as plain text: a blank line after the headline and before the next steps. */
export function plainLines(lines: readonly Line[]): string {
  return lines.map((line, index) => (index > 0 && (line.kind === "heading" || lines[index - 1]!.kind === "headline") ? `\n${plainLine(line)}` : plainLine(line))).join("\n");
}

/** One item as plain text lines. */
export function itemText(item: NotificationItem): string {
  return plainLines(itemLines(item));
}

/** A whole notification as plain text: the grouped title, then every item. */
export function plainText(notification: Notification): string {
  const items = notification.items.map(itemText);
  return notification.items.length === 1 ? items[0]! : [notification.title, ...items].join("\n\n");
}
