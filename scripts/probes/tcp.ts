import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineCheckType } from "./check-type.ts";

export const tcp = defineCheckType({
  type: "tcp",
  options: {
    host: envText.describe("Host name or address to connect to."),
    port: z.union([z.number().int().min(1).max(65535), envText]).describe("TCP port."),
  },
});
