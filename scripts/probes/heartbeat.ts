import { formatDuration } from "../core/duration.ts";
import { duration } from "../core/schema/common.ts";
import { readHeartbeat } from "../store/heartbeats.ts";
import { defineCheckType } from "./check-type.ts";

export const heartbeat = defineCheckType({
  type: "heartbeat",
  options: {
    window: duration.describe("Expected longest gap between heartbeats, e.g. 10m."),
    grace: duration.prefault("1m").describe("Extra time after `window` before the check is down; late beats inside it are degraded."),
  },
  placeholders: [],
  async probe(check, context) {
    let beat;
    try {
      beat = await readHeartbeat(context.root, check.id);
    } catch (error) {
      return { state: "error", error: (error as Error).message };
    }
    if (!beat) return { state: "down", error: "no heartbeat has been recorded yet" };
    const silentMs = Math.max(0, context.clock.now().getTime() - Date.parse(beat.at));
    const metrics = { silence_s: Math.round(silentMs / 1000) };
    const silence = `silent for ${formatDuration(Math.round(silentMs / 1000) * 1000)} since the last heartbeat at ${beat.at}`;
    if (silentMs > check.window + check.grace) {
      return { state: "down", metrics, error: `${silence} (window ${formatDuration(check.window)} + grace ${formatDuration(check.grace)})` };
    }
    if (silentMs > check.window) return { state: "degraded", metrics, error: `late: ${silence} (window ${formatDuration(check.window)})` };
    return { state: "up", metrics };
  },
});
