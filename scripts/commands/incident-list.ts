import type { Incident } from "../core/model.ts";
import type { Paint } from "../terminal.ts";

/** Incidents as an aligned table for people, newest first; open ones highlighted. */
export function formatIncidentList(incidents: readonly Incident[], options: { open: boolean; now: Date; paint: Paint }): string {
  const rows = incidents
    .map((incident) => incident.frontmatter)
    .filter((fm) => !options.open || !["resolved", "completed"].includes(fm.status))
    .sort((a, b) => (b.started ?? b.scheduledFor ?? b.id).localeCompare(a.started ?? a.scheduledFor ?? a.id))
    .map((fm) => [
      fm.id,
      fm.kind === "maintenance" ? "maint." : (fm.severity ?? "-"),
      fm.closed ? "closed" : fm.status,
      (fm.started ?? fm.scheduledFor ?? "").slice(0, 16).replace("T", " "),
      fm.providers.join(","),
      `${fm.title}${fm.automated?.blip ? " (blip)" : ""}`,
    ]);
  if (rows.length === 0) return options.open ? "No open incidents." : "No incidents yet.";
  const header = ["ID", "SEV", "STATUS", "STARTED (UTC)", "PROVIDERS", "TITLE"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ");
  return [
    options.paint.bold(line(header)),
    ...rows.map((row) => (["resolved", "completed", "closed"].includes(row[2]!) ? line(row) : options.paint.yellow(line(row)))),
  ].join("\n");
}
