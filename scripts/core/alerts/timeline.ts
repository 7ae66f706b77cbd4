/** What `alert simulate` prints: one line per event of a replay, with who was told and when. */
import type { RouteBase } from "../model.ts";
import type { ReplayStep } from "./replay.ts";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function timelineLines(step: ReplayStep, routes: readonly RouteBase[]): string[] {
  const heldUntil = new Map(step.notifications.filter((entry) => entry.status === "delayed" || entry.nextAttemptAt).map((entry) => [entry.route, entry.nextAttemptAt!]));
  return step.events.map((event) => {
    const told = event.routes.map((id) => {
      const description = routes.find((route) => route.id === id)?.description;
      const held = heldUntil.get(id);
      return `${id}${description ? ` (${description.replace(/\.$/, "")})` : ""}${held ? ` [held by quiet hours until ${when(held)}]` : ""}`;
    });
    const what =
      event.type === "fired" ? `: ${event.detail}${event.muted ? ` (muted: ${event.muted})` : ""}`
      : event.type === "cleared" ? `: ${event.reason}, after ${Math.round(event.durationMs / 60_000)} min`
      : event.type === "escalated" ? `: step ${event.step}`
      : event.type === "raised" ? `: from ${event.from}`
      : "";
    return `${when(event.at)}  ${event.type.padEnd(12)} ${event.rule} (${event.severity})${what}${told.length ? `\n${" ".repeat(22)}→ ${told.join(", ")}` : ""}`;
  });
}
