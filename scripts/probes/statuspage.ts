import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";

export const statuspage = defineCheckType({
  type: "statuspage",
  options: {
    url: envText.describe("Address of the vendor's Statuspage v2 `summary.json` (or its page root)."),
    component: z.string().min(1).optional().describe("Watch only this component (by name); the page indicator when left out."),
  },
});
