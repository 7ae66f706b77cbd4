/**
 * The GitHub issue mirror of an incident, as pure functions: what the issue should say and whether it is
 * open, one comment per public update, each with a stable key (the gitops side turns keys into markers),
 * and the `/ack` and `/update <text>` commands read from issue comments. The issue carries the incident's
 * owner-safe face (title, status, impact, public component names, times, summary, public updates) plus its
 * severity, and its commander unless issues are owner-safe (a public repository); the narrative and
 * evidence stay in the file.
 */
import type { IncidentFrontmatter } from "./model.ts";

/** Resolved incidents whose last change is older than this are left alone (and never backfilled). */
export const MIRROR_WINDOW_MS = 7 * 86_400_000;

/**
 * Comment authors worth asking about: the repository's owners, members of its organisation and collaborators.
 * Only the first filter; a command counts when its author may push to the repository (`mayCommand`).
 */
export const TRUSTED_AUTHORS = ["OWNER", "MEMBER", "COLLABORATOR"] as const;

/** Repository permissions whose holders' commands count: those who may push (GitHub's `admin`, `maintain` and `write` roles). */
export function mayCommand(permission: string): boolean {
  return ["admin", "maintain", "write"].includes(permission);
}

export interface IssueView {
  /** Key of the issue's marker: the incident id, which is also its file name. */
  key: string;
  /** The issue recorded in the incident file, when the mirror has recorded one. */
  issue?: number;
  title: string;
  body: string;
  open: boolean;
}

export interface UpdateComment {
  key: string;
  body: string;
}

const STATUS: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};
const EFFECT: Record<string, string> = {
  degraded_performance: "degraded performance",
  partial_outage: "partial outage",
  major_outage: "major outage",
  under_maintenance: "under maintenance",
};

const when = (at: string | undefined) => (at ? `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC` : "–");

/** The incidents the mirror keeps in step: every open incident, and those that changed within the window. */
export function mirrored(fm: IncidentFrontmatter, now: Date): boolean {
  if (fm.kind !== "incident") return false;
  if (fm.status !== "resolved") return true;
  const last = Math.max(...[fm.resolved, fm.started, fm.detected, ...fm.updates.map((update) => update.at)].filter((at): at is string => Boolean(at)).map(Date.parse));
  return now.getTime() - last < MIRROR_WINDOW_MS;
}

/**
 * The issue for an incident. `names` maps provider ids to public component names (providers that are not
 * public are left out); `file` is the incident's path in the repository.
 */
export function incidentIssue(fm: IncidentFrontmatter, file: string, names: ReadonlyMap<string, string>, detail: "internal" | "owner-safe"): IssueView {
  const components = Object.entries(fm.components)
    .filter(([provider]) => names.has(provider))
    .map(([provider, effect]) => `${names.get(provider)} (${EFFECT[effect] ?? effect})`);
  const facts = [
    `**${fm.severity ?? "No severity"}** · **${STATUS[fm.status] ?? fm.status}** · public impact: ${fm.impact}`,
    "",
    `| Started | Detected | Acknowledged | Mitigated | Resolved |`,
    `| --- | --- | --- | --- | --- |`,
    `| ${when(fm.started)} | ${when(fm.detected)} | ${when(fm.acknowledged)} | ${when(fm.mitigated)} | ${when(fm.resolved)} |`,
    "",
    ...(detail === "internal" ? [`- **Commander:** ${fm.commander ?? "nobody yet"}`] : []),
    `- **Components:** ${components.length ? components.join(", ") : "none public"}`,
  ];
  return {
    key: fm.id,
    ...(fm.issue !== undefined && { issue: fm.issue }),
    title: `${fm.severity ? `${fm.severity}: ` : ""}${fm.title}`,
    body: [
      ...facts,
      ...(fm.summary ? ["", `> ${fm.summary.trim().replace(/\n/g, "\n> ")}`] : []),
      "",
      `The incident lives in \`${file}\`; every public update follows as a comment. This issue is kept in step with the file by Signalroom: edit the file (or use the commands below), not this text.`,
      "",
      "Commands (for people who may push to this repository): comment `/ack` to acknowledge (you become the commander when there is none), or `/update <text>` to post a public, owner-safe update.",
    ].join("\n"),
    open: fm.status !== "resolved",
  };
}

/** One comment per public update, oldest first; the key holds the update's place and time. */
export function updateComments(fm: IncidentFrontmatter): UpdateComment[] {
  return fm.updates.map((update, index) => ({
    key: `${fm.id}/${index + 1}@${new Date(update.at).toISOString().slice(0, 19)}Z`,
    body: [`**${STATUS[update.status] ?? update.status}** · ${when(update.at)}`, "", update.message].join("\n"),
  }));
}

/** What the mirror last made of an incident; a change in it is what makes the mirror call GitHub again. */
export function mirrorFingerprint(view: IssueView, comments: readonly UpdateComment[]): string {
  return JSON.stringify([view, comments.map((comment) => comment.key)]);
}

export type IssueCommand = { verb: "ack" } | { verb: "update"; message: string };

/**
 * `/ack` or `/update <text>` at the start of a comment (the text may run over several lines); anything
 * else is not a command. An `/update` without text comes back with an empty message for the caller to refuse.
 */
export function parseCommand(body: string): IssueCommand | undefined {
  const text = body.replace(/\r\n/g, "\n").trim();
  const match = /^\/(ack|update)(?=\s|$)([\s\S]*)$/i.exec(text);
  if (!match) return undefined;
  if (match[1]!.toLowerCase() === "ack") return { verb: "ack" };
  return { verb: "update", message: match[2]!.trim() };
}

export function trustedAuthor(association: string): boolean {
  return (TRUSTED_AUTHORS as readonly string[]).includes(association.toUpperCase());
}
