import { z } from "zod";
import { defineCheckType } from "./check-type.ts";
import { conditions, requestOptions } from "./shared-options.ts";

export const json = defineCheckType({
  type: "json",
  options: {
    ...requestOptions,
    metrics: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/, "metric names use lowercase letters, digits and underscores"), z.string().min(1))
      .refine((metrics) => Object.keys(metrics).length > 0, "must name at least one metric")
      .describe("Numbers to read from the JSON body: metric name → path such as `queue.depth` or `deliveries[0].failed`."),
    conditions: conditions.describe("Conditions that must hold or the sample is down, e.g. `[METRIC].queue_depth < 100`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
});
