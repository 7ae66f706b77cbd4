import { alertsBench } from "./alerts.ts";
import type { Bench } from "./bench.ts";
import { detection } from "./detection.ts";
import { probe } from "./probe.ts";
import { room } from "./room.ts";
import { samples } from "./samples.ts";
import { site } from "./site.ts";
import { storage } from "./storage.ts";

/** Every bench `npm run bench -- NAME` can run. */
export const benches: Bench[] = [probe, samples, storage, detection, site, alertsBench, room];
