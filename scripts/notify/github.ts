import { z } from "zod";
import { envText, secretText } from "../core/schema/common.ts";
import type { Notification, NotificationItem } from "../core/schema/records.ts";
import { apiUrlFrom, createGitHub, marker, type GitHub } from "../gitops/github.ts";
import { defineChannel, deliverEach, toDeliveryError, type DeliveryContext, type RouteOptions } from "./channel.ts";
import { fit } from "./fit.ts";
import { itemLines, type Line } from "./message.ts";

const options = {
  repository: envText.default("${env:GITHUB_REPOSITORY}").describe("`owner/name` of the repository that gets the issues."),
  token: secretText.default("${env:GITHUB_TOKEN}").describe("Token allowed to write issues."),
  labels: z.array(z.string()).default(["signalroom"]).describe("Labels put on the issues; issues are looked up among these."),
  fields: z
    .enum(["internal", "owner-safe"])
    .optional()
    .describe("What the issues say: `internal` (lead, evidence, next steps from the runbook) or `owner-safe` (status, impact and times only). Default: `deploy.issues` (internal in a private repository, owner-safe in a public one)."),
  apiUrl: z.url().optional().describe("REST API address; default the runner's GITHUB_API_URL (GitHub Enterprise Server sets its own), else https://api.github.com."),
};

/** GitHub's limit for an issue body or a comment; the marker and its blank line come on top. */
export const GITHUB_BODY_LIMIT = 65_536 - 200;

function markdown(line: Line): string {
  if (line.kind === "headline") return `### ${line.text}`;
  if (line.kind === "field") return `- **${line.label}:** ${line.text}`;
  if (line.kind === "heading") return `\n**${line.text}**\n`;
  if (line.kind === "note") return `\n_${line.text}_`;
  return `- ${line.text}`;
}

/** The playbook fields that name people or quote evidence: never in owner-safe issues (nor the runbook's next steps). */
const INTERNAL_FIELDS = new Set(["LEAD", "EVIDENCE"]);

/**
 * What an issue says about one item: all its lines, or for owner-safe issues (a public repository) its lines
 * without the lead, the evidence and the runbook's next steps, and a note saying where they are.
 */
export function issueLines(item: NotificationItem, detail: "internal" | "owner-safe"): Line[] {
  const lines = itemLines(item);
  if (detail === "internal") return lines;
  return [
    ...lines.filter((line) => (line.kind === "field" ? !INTERNAL_FIELDS.has(line.label) : line.kind !== "heading" && line.kind !== "step")),
    { kind: "note", text: "Evidence, lead and runbook steps are in the operations room; issues here carry owner-safe text only." },
  ];
}

/** The markdown of one item: the headline as a heading, the playbook fields as a list, the next steps; cut at line boundaries to GitHub's limit. */
export function issueMarkdown(item: NotificationItem, detail: "internal" | "owner-safe"): string {
  return fit([issueLines(item, detail)], {
    render: ([lines]) => lines!.map((line, index) => (index === 1 ? `\n${markdown(line)}` : markdown(line))).join("\n"),
    fits: (text) => text.length <= GITHUB_BODY_LIMIT,
  });
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

export function githubActions(notification: Notification, detail: "internal" | "owner-safe"): IssueAction[] {
  return notification.items.map((item) => ({
    item: item.id,
    do: item.kind === "trigger" || item.kind === "undelivered" ? "open" : item.kind === "resolve" ? "close" : item.kind === "test" ? "test" : "comment",
    marker: marker("alert", item.alert),
    commentMarker: marker("notification", item.id),
    title: item.kind === "test" ? item.title : `${item.severity.toUpperCase()}: ${item.title}`,
    body: issueMarkdown(item, detail),
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
  const apiUrl = apiUrlFrom(route.apiUrl, context.env);
  const github = context.reuse(`github:${apiUrl}:${route.repository}`, () => createGitHub({ token: route.token, repository: route.repository, apiUrl }));
  // A route outside a workspace (which fills in deploy.issues) says nothing internal.
  await deliverEach(githubActions(notification, route.fields ?? "owner-safe"), context, (action) =>
    apply(github, action, route.labels, context.signal).catch((error: unknown) => {
      throw toDeliveryError(error, context.signal);
    }),
  );
}

export const github = defineChannel({
  channel: "github",
  options,
  deliver,
});
