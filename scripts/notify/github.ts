import { z } from "zod";
import { envText } from "../core/schema/common.ts";
import { defineChannel } from "./channel.ts";

export const github = defineChannel({
  channel: "github",
  options: {
    repository: envText.default("${env:GITHUB_REPOSITORY}").describe("`owner/name` of the repository that gets the issues."),
    token: envText.default("${env:GITHUB_TOKEN}").describe("Token allowed to write issues."),
    labels: z.array(z.string()).default(["signalroom"]).describe("Labels put on the issues."),
    apiUrl: z.url().default("https://api.github.com").describe("REST API address (GitHub Enterprise Server has its own)."),
  },
});
