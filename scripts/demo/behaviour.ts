/**
 * How the demo's simulated providers behave at any moment: a pure function of time, so the history the
 * demo writes and the endpoints it serves live agree. The steady patterns are chosen so the last 24 hours
 * reproduce the seed's operations room (docs/demo.md explains each); the incidents are dated relative to
 * the moment the demo starts, so the demo always looks current.
 */

const MINUTE = 60_000;

export type Health = "up" | "slow" | "down";

/** One past outage or slowdown of a simulated provider. */
export interface Episode {
  endpoint: Endpoint;
  /** Minutes before the demo's "now" at which it starts. */
  startsAgo: number;
  minutes: number;
  effect: Health | "backlog" | "silent" | "failing";
  note: string;
}

export type Endpoint = "database" | "heartbeat" | "auth" | "health" | "stripe" | "order" | "bookings" | "vendor" | "aiDeliveries";

const DAY = 24 * 60;

/** Past episodes, all older than the 24-hour signal window so the room shows the seed's steady state. */
export const EPISODES: Episode[] = [
  { endpoint: "database", startsAgo: 40 * DAY + 130, minutes: 7, effect: "down", note: "connection pool exhausted after a migration" },
  { endpoint: "stripe", startsAgo: 12 * DAY + 600, minutes: 26, effect: "down", note: "webhook endpoint returned 502 after a deploy" },
  { endpoint: "order", startsAgo: 30 * DAY + 900, minutes: 20, effect: "down", note: "order scenario disabled" },
  { endpoint: "heartbeat", startsAgo: 6 * DAY + 200, minutes: 25, effect: "silent", note: "decision logger paused" },
  { endpoint: "health", startsAgo: 3 * DAY + 480, minutes: 35, effect: "slow", note: "slow queries after cache eviction" },
  { endpoint: "bookings", startsAgo: 20 * DAY + 700, minutes: 45, effect: "backlog", note: "waitlist worker stalled" },
  { endpoint: "auth", startsAgo: 55 * DAY + 60, minutes: 4, effect: "down", note: "identity provider certificate rotation" },
];

/**
 * When each steady pattern began, in minutes before "now": the payment webhooks turned flaky after a
 * deploy three days ago, the payment vendor has reported card declines for two days, and ai.decision.logged
 * deliveries have failed for 26 hours. Before that they were healthy. All start before the 24-hour window.
 */
export const REGIMES: Partial<Record<Endpoint, number>> = { stripe: 3 * DAY + 45, order: 3 * DAY + 45, vendor: 2 * DAY + 10, aiDeliveries: 26 * 60 };

function inRegime(endpoint: Endpoint, at: Date, now: Date): boolean {
  const since = REGIMES[endpoint];
  return since === undefined || (now.getTime() - at.getTime()) / MINUTE <= since;
}

/** A deterministic number in [0, 1) for a key: stable noise for latencies and counts. */
export function noise(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return ((hash >>> 0) % 100_000) / 100_000;
}

export function episodeAt(endpoint: Endpoint, at: Date, now: Date): Episode | undefined {
  const minutesAgo = (now.getTime() - at.getTime()) / MINUTE;
  return EPISODES.find((episode) => episode.endpoint === endpoint && minutesAgo <= episode.startsAgo && minutesAgo > episode.startsAgo - episode.minutes);
}

/** Index of the cadence slot `at` falls in, counted from the Unix epoch, so patterns line up with windows. */
export function slot(at: Date, cadenceMinutes: number): number {
  return Math.floor(at.getTime() / (cadenceMinutes * MINUTE));
}

const latency = (key: string, low: number, high: number) => Math.round(low + noise(key) * (high - low));

export interface HttpBehaviour {
  health: Health;
  latencyMs: number;
}

/**
 * Steady patterns (per cadence slot): Better Auth is slow 1 slot in 8, the health endpoint 1 in 5, the
 * Stripe webhook endpoint fails 5 and is slow 12 of every 20 minutes, the order scenario fails 1 slot in
 * 4 and is fast 1 in 6; everything else is healthy.
 */
export function httpBehaviour(endpoint: "auth" | "health" | "stripe" | "order" | "database", at: Date, now: Date): HttpBehaviour {
  const episode = episodeAt(endpoint, at, now);
  const key = `${endpoint}:${at.getTime()}`;
  if (episode?.effect === "down") return { health: "down", latencyMs: latency(key, 20, 60) };
  if (episode?.effect === "slow") return { health: "slow", latencyMs: latency(key, 900, 1400) };
  const pick = (health: Health): HttpBehaviour => ({
    health,
    latencyMs: health === "slow" ? latency(key, 560, 760) : latency(key, 25, 140),
  });
  if (!inRegime(endpoint, at, now)) return pick("up");
  switch (endpoint) {
    case "auth":
      return pick(slot(at, 5) % 8 === 3 ? "slow" : "up");
    case "health":
      return pick(slot(at, 5) % 5 === 2 ? "slow" : "up");
    case "stripe": {
      const position = slot(at, 1) % 20;
      if (position % 4 === 0) return pick("down");
      return pick(position === 1 || position === 6 || position === 11 ? "up" : "slow");
    }
    case "order": {
      const position = slot(at, 5);
      if (position % 4 === 0) return pick("down");
      return pick(position % 6 === 1 ? "up" : "slow");
    }
    case "database":
      return { health: "up", latencyMs: latency(key, 2, 9) };
  }
}

export interface DeliveryStats {
  deliveries: { delivered: number; failed: number };
  queue: { depth: number; oldestAgeSeconds: number };
}

/** booking.changed: healthy, with 3 slots in 8 showing a few failed deliveries (degraded). */
export function bookingStats(at: Date, now: Date): DeliveryStats {
  const key = `bookings:${slot(at, 5)}`;
  const episode = episodeAt("bookings", at, now);
  if (episode) return { deliveries: { delivered: 2, failed: 1 }, queue: { depth: 150 + Math.round(noise(key) * 80), oldestAgeSeconds: 1500 } };
  const flaky = [0, 3, 5].includes(slot(at, 5) % 8);
  return {
    deliveries: { delivered: 18 + Math.round(noise(key) * 20), failed: flaky ? 3 + Math.round(noise(`${key}f`) * 2) : 0 },
    queue: { depth: 4 + Math.round(noise(`${key}q`) * 20), oldestAgeSeconds: 20 + Math.round(noise(`${key}a`) * 90) },
  };
}

/** ai.decision.logged: failing deliveries in all but 4 slots of every 24 (the seed's "Delivery failing"). */
export function aiDeliveryStats(at: Date, now: Date): DeliveryStats {
  const key = `ai:${slot(at, 5)}`;
  const ok = !inRegime("aiDeliveries", at, now) || [2, 8, 14, 20].includes(slot(at, 5) % 24);
  return {
    deliveries: { delivered: ok ? 6 : 1, failed: ok ? 0 : 4 + Math.round(noise(key) * 6) },
    queue: { depth: ok ? 3 : 40 + Math.round(noise(`${key}q`) * 40), oldestAgeSeconds: ok ? 30 : 1800 },
  };
}

export type VendorComponentStatus = "operational" | "degraded_performance" | "major_outage";

/** The payment vendor's Card payments component: a major outage 4 slots in 12, operational 1, degraded otherwise. */
export function vendorStatus(at: Date, now: Date): VendorComponentStatus {
  if (!inRegime("vendor", at, now)) return "operational";
  const position = slot(at, 5) % 12;
  if (position % 3 === 0) return "major_outage";
  return position === 1 ? "operational" : "degraded_performance";
}

/** The AI decision logger beats every 5 minutes, 2 minutes past the mark, like a cron job would. */
export const HEARTBEAT_OFFSET_MINUTES = 2;

/** Whether the logger sends a heartbeat at `at`: on its schedule, and not during its silent episode. */
export function heartbeatSent(at: Date, now: Date): boolean {
  const minute = Math.floor(at.getTime() / MINUTE);
  return minute % 5 === HEARTBEAT_OFFSET_MINUTES && !episodeAt("heartbeat", at, now);
}
