import type { Bench } from "./bench.ts";
import { probe } from "./probe.ts";

/** Every bench `npm run bench -- NAME` can run. */
export const benches: Bench[] = [probe];
