/** Reads the figures of the operations room's front page back out of its HTML, for the seed-figure tests. */

export function counters(html: string): [string, string, string][] {
  return [...html.matchAll(/data-counter="(\w+)"[\s\S]*?<p class="value">([^<]+)<\/p>\s*<p class="note">([^<]+)<\/p>/g)].map((match) => [match[1]!, match[2]!, match[3]!]);
}

export function laneCards(html: string): [string, number, number, number, number, string][] {
  return [
    ...html.matchAll(/data-lane="([\w-]+)"[\s\S]*?class="muted lane-signals"[^>]*>(\d+) signals[\s\S]*?class="blocked"[^>]*>(\d+)<[\s\S]*?class="watch"[^>]*>(\d+)<[\s\S]*?class="average"[^>]*>(\d+)%<[\s\S]*?class="action"[^>]*>([^<]+)</g),
  ].map((match) => [match[1]!, Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), match[6]!]);
}

export interface QueueCard {
  id: string;
  score: number;
  last: string;
  evidence: string;
  status: string;
}

export function queue(html: string): QueueCard[] {
  const section = html.slice(html.indexOf('class="grid-wide queue"'), html.indexOf('id="priority-recovery"'));
  return [...section.matchAll(/data-provider="([^"]+)"[\s\S]*?<span class="signal">(\d+)%[\s\S]*?class="last-signal">([\s\S]*?)<\/dd>[\s\S]*?class="evidence-label">([^<]+)<[\s\S]*?class="evidence-status">([^<]+)</g)].map((match) => ({
    id: match[1]!,
    score: Number(match[2]),
    last: match[3]!.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim(),
    evidence: match[4]!,
    status: match[5]!,
  }));
}

export function priorityRecovery(html: string): [string, string][] {
  const section = html.slice(html.indexOf('id="priority-recovery"'), html.indexOf('id="runbook-title"'));
  return [...section.matchAll(/data-provider="([^"]+)"[\s\S]*?<a [^>]*>([^<]+)<\/a><\/h3>\s*<p>([^<]+)<\/p>/g)].map((match) => [match[2]!, match[3]!]);
}

/** The seed's figures (seed 000), with the lane action of the most urgent provider (docs/signals.md). */
export const SEED_COUNTERS = [
  ["operational", "5", "Provider surfaces that are currently healthy enough to rely on."],
  ["degraded", "3", "Providers with visible warnings or incomplete readiness."],
  ["blocked", "1", "Provider events or systems that should block automation."],
  ["signal", "63%", "Average provider confidence across signals."],
];

export const SEED_LANES = [
  ["payments", 2, 0, 2, 58, "Decide real retry/recovery ownership across providers"],
  ["webhook", 3, 1, 0, 47, "Pause automation, inspect failed payloads, and define retry/dead-letter behavior"],
  ["api", 4, 0, 1, 71, "Finish auth scope, examples, audit event, and rate-limit definition"],
  ["identity", 1, 0, 0, 92, "Deepen role-aware session usage across more surfaces"],
  ["messaging", 1, 0, 0, 32, "Use for recovery, lead follow-up, and event comms"],
  ["reporting", 0, 0, 0, 0, "No provider in this lane yet"],
  ["infrastructure", 1, 0, 0, 95, "Keep monitoring cadence and evidence freshness"],
];

export const SEED_QUEUE = [
  ["postgres-database", 95],
  ["ai-decision-log", 95],
  ["better-auth", 92],
  ["health-endpoint", 90],
  ["booking.changed", 86],
  ["members-api", 63],
  ["payment-webhooks", 61],
  ["payment-rails", 54],
  ["payment.failed", 38],
  ["bookings-api", 35],
  ["resend", 32],
  ["ai.decision.logged", 18],
];

export const SEED_PRIORITY = [
  ["Members API", "Finish auth scope, examples, audit event, and rate-limit definition"],
  ["Payment webhooks", "Inspect provider logs, queues, deployment context, and recent user-facing failures"],
  ["Payment rails", "Decide real retry/recovery ownership across providers"],
  ["ai.decision.logged", "Pause automation, inspect failed payloads, and define retry/dead-letter behavior"],
];
