import type { Bench } from "./bench.ts";
import { probe } from "./probe.ts";
import { samples } from "./samples.ts";

/** Every bench `npm run bench -- NAME` can run. */
export const benches: Bench[] = [probe, samples];
