import { defineCheckType } from "./check-type.ts";
import { conditions, requestOptions } from "./shared-options.ts";

export const http = defineCheckType({
  type: "http",
  options: {
    ...requestOptions,
    conditions: conditions.describe("Conditions that must hold or the sample is down, e.g. `[BODY].status == ok`."),
    degradedConditions: conditions.describe("Conditions that must hold or the sample is degraded."),
  },
});
