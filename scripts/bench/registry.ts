import { alertsBench } from "./alerts.ts";
import type { Bench } from "./bench.ts";

/** Every bench; adding one is one file and one line here. */
export const benches: Bench[] = [alertsBench];
