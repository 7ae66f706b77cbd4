import type { Bench } from "./bench.ts";
import { samples } from "./samples.ts";

/** Every benchmark `npm run bench -- <name>` knows. */
export const benches: Bench[] = [samples];
