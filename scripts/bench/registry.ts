import type { Bench } from "./bench.ts";
import { detection } from "./detection.ts";
import { site } from "./site.ts";
import { storage } from "./storage.ts";

/** Every benchmark `npm run bench -- <name>` knows. */
export const benches: Bench[] = [storage, detection, site];
