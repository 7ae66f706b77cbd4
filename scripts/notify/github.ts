import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { createGitHub, marker, type GitHub } from "../gitops/github.ts";
import { defineChannel, type DeliveryContext, type RouteOptions } from "./channel.ts";
import { fields, headline, nextSteps } from "./message.ts";

const options = {
  repository: envText.default("${env:GITHUB_REPOSITORY}").describe("`owner/name` of the repository that gets the issues."),
  token: secretText.default("${env:GITHUB_TOKEN}").describe("Token allowed to write issues."),
  labels: z.array(z.string()).default(["signalroom"]).describe("Labels put on the issues; issues are looked up among these."),
  apiUrl: z.url().default("https://api.github.com").describe("REST API address (GitHub Enterprise Server has its own)."),
};

/** The markdown of one item: the headline as a heading, the playbook fields as a list, the next steps. */
export function issueMarkdown(item: NotificationItem): string {
  return [
    `### ${headline(item)}`,
    "",
    ...fields(item).map(([label, value]) => `- **${label}:** ${value}`),
    ...(item.next.length ? ["", "**Next steps**", "", ...nextSteps(item)] : []),
  ].join("\n");
}

/**
 * What delivering one item does to the repository's issues (pure, checked without a server): a trigger opens
 * the episode's issue, a resolution comments on it and closes it (nothing to close when it was never opened),
 * anything else comments on it (opening it first if needed), a test opens its own issue and closes it.
 */
export interface IssueAction {
  item: string;
  do: "open" | "comment" | "close" | "test";
  marker: string;
  commentMarker: string;
  title: string;
  body: string;
}

export function githubActions(notification: Notification): IssueAction[] {
  return notification.items.map((item) => ({
    item: item.id,
    do: item.kind === "trigger" ? "open" : item.kind === "resolve" ? "close" : item.kind === "test" ? "test" : "comment",
    marker: marker("alert", item.alert),
    commentMarker: marker("notification", item.id),
    title: item.kind === "test" ? item.title : `${item.severity.toUpperCase()}: ${item.title}`,
    body: issueMarkdown(item),
  }));
}

async function apply(github: GitHub, action: IssueAction, labels: string[], signal: AbortSignal): Promise<void> {
  const ensure = async () => (await github.ensureIssue({ marker: action.marker, title: action.title, body: action.body, labels }, signal)).issue;
  switch (action.do) {
    case "open":
      await ensure();
      return;
    case "comment":
      await github.comment((await ensure()).number, action.body, action.commentMarker, signal);
      return;
    case "test": {
      const issue = await ensure();
      if (issue.state === "open") await github.closeIssue(issue.number, signal);
      return;
    }
    case "close": {
      const issue = await github.findIssue(action.marker, labels, signal);
      if (!issue) return;
      await github.comment(issue.number, action.body, action.commentMarker, signal);
      if (issue.state === "open") await github.closeIssue(issue.number, signal);
    }
  }
}

async function deliver(notification: Notification, route: RouteOptions<typeof options>, context: DeliveryContext): Promise<void> {
  const github = context.reuse(`github:${route.apiUrl}:${route.repository}`, () => createGitHub({ token: route.token, repository: route.repository, apiUrl: route.apiUrl }));
  for (const action of githubActions(notification)) {
    if (context.delivered.has(action.item)) continue;
    await apply(github, action, route.labels, context.signal);
    await context.accepted(action.item);
  }
}

export const github = defineChannel({
  channel: "github",
  options,
  deliver,
});
