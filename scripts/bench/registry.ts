import type { Benchmark } from "./benchmark.ts";
import { siteBench } from "./site.ts";

/** Every benchmark, one line each. */
export const benchmarks: Benchmark[] = [siteBench];
