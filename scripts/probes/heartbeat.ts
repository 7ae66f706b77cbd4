import { duration } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";

export const heartbeat = defineCheckType({
  type: "heartbeat",
  options: {
    window: duration.describe("Expected longest gap between heartbeats, e.g. 10m."),
    grace: duration.prefault("1m").describe("Extra time after `window` before the check is down."),
  },
});
