import { discord } from "./discord.ts";
import { email } from "./email.ts";
import { github } from "./github.ts";
import { ntfy } from "./ntfy.ts";
import { opsgenie } from "./opsgenie.ts";
import { pagerduty } from "./pagerduty.ts";
import { slack } from "./slack.ts";
import { teams } from "./teams.ts";
import { telegram } from "./telegram.ts";
import { webhook } from "./webhook.ts";

/** Every notification channel; adding one is one file and one line here. */
export const channels = [slack, discord, teams, email, pagerduty, opsgenie, telegram, ntfy, webhook, github] as const;
