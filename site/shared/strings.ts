/** Every piece of UI text, keyed by where it appears; one language for now, one place to change it. */
export const strings = {
  "status.operational": "Operational",
  "status.degraded_performance": "Degraded performance",
  "status.partial_outage": "Partial outage",
  "status.major_outage": "Major outage",
  "status.under_maintenance": "Under maintenance",
  "room.title": "Provider Health",
  "room.kicker": "Provider reliability",
  "room.lede": "A monitoring room for payment rails, identity, messaging, webhooks, APIs, database health, and the recovery actions that keep operators from guessing.",
  "room.operational": "Operational",
  "room.operational.note": "Provider surfaces that are currently healthy enough to rely on.",
  "room.degraded": "Degraded",
  "room.degraded.note": "Providers with visible warnings or incomplete readiness.",
  "room.blocked": "Blocked",
  "room.blocked.note": "Provider events or systems that should block automation.",
  "room.signal": "Signal",
  "room.signal.note": "Average provider confidence across signals.",
  "lane.signals": "signals",
  "lane.blocked": "Blocked",
  "lane.watch": "Watch",
} as const;

export type StringKey = keyof typeof strings;

export function t(key: StringKey): string {
  return strings[key];
}
