/**
 * The samples the example configuration's checks would record against the demo world at a given time,
 * for the months of history the demo does not probe for real (the last minutes are probed for real).
 * Their shape follows what each check type records: status codes, the failed condition, metrics.
 */
import type { Sample } from "../core/schema/records.ts";
import { aiDeliveryStats, bookingStats, heartbeatSent, httpBehaviour, slot, vendorStatus, type HttpBehaviour } from "./behaviour.ts";

export type SimulatedOutcome = Omit<Sample, "at" | "check" | "region" | "run">;
type Simulator = (at: Date, now: Date) => SimulatedOutcome;

function http(behaviour: HttpBehaviour, okStatus: number, failStatus: number, objectiveMs: number): SimulatedOutcome {
  if (behaviour.health === "down") {
    return { state: "down", status: failStatus, latencyMs: behaviour.latencyMs, conditions: [{ text: `[STATUS] in ${okStatus}`, ok: false, actual: String(failStatus) }], error: `status ${failStatus} is not an expected status` };
  }
  const slow = behaviour.latencyMs > objectiveMs;
  return {
    state: slow ? "degraded" : "up",
    status: okStatus,
    latencyMs: behaviour.latencyMs,
    ...(slow && { conditions: [{ text: `[RESPONSE_TIME] <= ${objectiveMs}`, ok: false, actual: `${behaviour.latencyMs} ms` }] }),
  };
}

const MINUTE = 60_000;

/** The newest heartbeat the decision logger sent at or before `at`. */
function lastBeat(at: Date, now: Date): Date | undefined {
  const minute = Math.floor(at.getTime() / MINUTE);
  for (let back = 0; back < 24 * 60; back++) {
    const beat = new Date((minute - back) * MINUTE);
    if (heartbeatSent(beat, now)) return beat;
  }
  return undefined;
}

/** Per check id of checks/providers/*.yaml. */
export const SIMULATORS: Record<string, Simulator> = {
  "database-connectivity": (at, now) => {
    const behaviour = httpBehaviour("database", at, now);
    return behaviour.health === "down"
      ? { state: "down", latencyMs: behaviour.latencyMs, error: "connection refused by the server: too many connections for role" }
      : { state: "up", latencyMs: behaviour.latencyMs, conditions: [{ text: "first value == 1", ok: true, actual: "1" }] };
  },
  "ai-log-heartbeat": (at, now) => {
    const beat = lastBeat(at, now);
    const silence = beat ? Math.round((at.getTime() - beat.getTime()) / 1000) : Infinity;
    if (silence > 600) return { state: "down", metrics: { silence_s: silence }, error: `silent for ${Math.round(silence / 60)}m since the last heartbeat` };
    return { state: "up", metrics: { silence_s: silence } };
  },
  "auth-session": (at, now) => http(httpBehaviour("auth", at, now), 200, 503, 300),
  "health-endpoint": (at, now) => http(httpBehaviour("health", at, now), 200, 503, 400),
  "stripe-webhook": (at, now) => http(httpBehaviour("stripe", at, now), 405, 502, 500),
  "order-scenario": (at, now) => http(httpBehaviour("order", at, now), 200, 500, 500),
  "booking-deliveries": (at, now) => {
    const stats = bookingStats(at, now);
    const metrics = { delivered: stats.deliveries.delivered, failed: stats.deliveries.failed, queue_depth: stats.queue.depth, queue_age_s: stats.queue.oldestAgeSeconds };
    const failing = [
      metrics.failed >= 3 && { text: "[METRIC].failed < 3", ok: false, actual: String(metrics.failed) },
      metrics.queue_age_s >= 600 && { text: "[METRIC].queue_age_s < 600", ok: false, actual: String(metrics.queue_age_s) },
    ].filter((condition) => condition !== false);
    return { state: failing.length > 0 ? "degraded" : "up", status: 200, latencyMs: 30 + (metrics.delivered % 40), metrics, ...(failing.length > 0 && { conditions: failing }) };
  },
  "payment-vendor-status": (at, now) => {
    const status = vendorStatus(at, now);
    const state = status === "operational" ? "up" : status === "major_outage" ? "down" : "degraded";
    return {
      state,
      status: 200,
      latencyMs: 60 + (slot(at, 5) % 7) * 9,
      conditions: [{ text: 'component "Card payments" is operational', ok: state === "up", actual: status }],
      ...(state !== "up" && { error: `Card payments: ${status}; vendor incident: Elevated card declines (identified)` }),
    };
  },
  "ai-decision-deliveries": (at, now) => {
    const stats = aiDeliveryStats(at, now);
    const metrics = { delivered: stats.deliveries.delivered, failed: stats.deliveries.failed, queue_depth: stats.queue.depth };
    const ok = metrics.failed === 0;
    return {
      state: ok ? "up" : "down",
      status: 200,
      latencyMs: 40 + (metrics.queue_depth % 30),
      metrics,
      conditions: [{ text: "[METRIC].failed == 0", ok, actual: String(metrics.failed) }],
      ...(!ok && { error: "[METRIC].failed == 0 ✗ got " + metrics.failed }),
    };
  },
};
