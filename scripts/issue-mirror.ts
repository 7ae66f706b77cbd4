/**
 * The incident issue mirror at the workspace level: syncing the issues with the incident files (and
 * recording each issue it opens in its incident file, `issue:`), and `/ack` and `/update <text>` comments
 * written back into the incident file (docs/github.md, "Issue mirror"). The workflow on `issue_comment`
 * hands over the event. A command counts only on the issue an incident file records, never because a
 * body holds the marker (anyone can paste it), and only from people who may push to the repository, as
 * GitHub's API reports their permission. The edit is the operator CLI's (acknowledged and commander; a
 * public update), committed through gitops and re-applied on the newer tree when the push loses a race.
 * A reply on the issue, with the comment's id as its marker, says what was recorded and makes a re-run
 * of the workflow change nothing.
 */
import { z } from "zod";
import { acknowledge, addUpdate, EditRefused, stamp } from "./core/incident-edit.ts";
import { mayCommand, parseCommand, trustedAuthor, type IssueCommand } from "./core/incident-issue.ts";
import type { Incident } from "./core/model.ts";
import { marker, type GitHub } from "./gitops/github.ts";
import type { IncidentMirror, MirrorReport } from "./gitops/incident-mirror.ts";
import { publishCycle, type CycleResult, type PublishOutcome } from "./gitops/publish.ts";
import { InvalidIncident, writeIncident } from "./store/incidents.ts";
import { loadWorkspace } from "./workspace.ts";

/** The parts of GitHub's `issue_comment` event payload this reads (the payload has many more). */
export const issueCommentEvent = z.object({
  action: z.string(),
  issue: z.object({
    number: z.number().int(),
    pull_request: z.unknown().optional(),
  }),
  comment: z.object({
    id: z.number().int(),
    body: z.string(),
    created_at: z.iso.datetime({ offset: true }),
    author_association: z.string(),
    user: z.object({ login: z.string() }),
  }),
});
export type IssueCommentEvent = z.infer<typeof issueCommentEvent>;

export interface CommentOutcome {
  /** What happened, in one sentence for the log. */
  message: string;
  /** The incident edited, when one was. */
  incident?: string;
  publish?: PublishOutcome;
}

export const commandMarker = (comment: number) => marker("command", String(comment));

function edited(incident: Incident, command: IssueCommand, login: string, at: Date, components: readonly string[]): Incident | undefined {
  const fm = incident.frontmatter;
  if (command.verb === "ack") {
    const after = acknowledge(fm, login, at);
    return JSON.stringify(after) === JSON.stringify(fm) ? undefined : { ...incident, frontmatter: after };
  }
  // The same update from the same comment (a re-run after the reply was lost) is not posted twice.
  if (fm.updates.some((update) => update.at === stamp(at) && update.message === command.message)) return undefined;
  return { ...incident, frontmatter: addUpdate(fm, { message: command.message }, components, at) };
}

export interface CommentOptions {
  root: string;
  event: IssueCommentEvent;
  github: GitHub;
  now: () => Date;
  /** Commit and push through gitops; otherwise only the file in `root` is written. */
  push: boolean;
}

/** Reads one comment event and records its command; every way of not acting is a sentence, not an error. */
export async function handleIssueComment(options: CommentOptions): Promise<CommentOutcome> {
  const { event, github } = options;
  if (event.action !== "created" || event.issue.pull_request !== undefined) return { message: "Not a new comment on an issue; nothing to do." };
  const command = parseCommand(event.comment.body);
  if (!command) return { message: "The comment is not a command (/ack or /update <text>); nothing to do." };
  // The mirror's own record decides which issue belongs to an incident, on the tree as it is now.
  const { workspace } = await loadWorkspace(options.root);
  const id = workspace?.incidents.find((incident) => incident.frontmatter.issue === event.issue.number)?.frontmatter.id;
  if (!id) return { message: `Issue #${event.issue.number} is not an issue the incident mirror opened (no incident file records it); nothing to do.` };
  const login = event.comment.user.login;
  if (!trustedAuthor(event.comment.author_association)) {
    return { message: `@${login} may not push to the repository (${event.comment.author_association}); the command is ignored.` };
  }
  const permission = await github.permissionOf(login);
  if (!mayCommand(permission)) {
    return { message: `@${login} may not push to the repository (their permission is ${permission}); the command is ignored.` };
  }
  const reply = commandMarker(event.comment.id);
  if ((await github.listComments(event.issue.number)).some((comment) => comment.body.includes(reply))) {
    return { message: `Comment ${event.comment.id} was recorded before; nothing to do.`, incident: id };
  }
  if (command.verb === "update" && !command.message) {
    await github.addComment(event.issue.number, "`/update` needs the text of the update, e.g. `/update We have found the cause and are rolling back.`", reply);
    return { message: "`/update` without text; replied with a hint.", incident: id };
  }

  const at = new Date(event.comment.created_at);
  let file = "";
  let changed = false;
  const apply = async (tree: string): Promise<CycleResult> => {
    const { workspace, problems } = await loadWorkspace(tree);
    if (!workspace) throw new EditRefused(`the workspace does not validate (${problems.filter((problem) => problem.severity === "error").length} errors; run npm run validate)`);
    const incident = workspace.incidents.find((candidate) => candidate.frontmatter.id === id);
    if (!incident) throw new EditRefused(`the incident ${id} no longer exists in incidents/`);
    file = incident.file;
    const components = incident.frontmatter.providers.flatMap((provider) => {
      const found = workspace.providers.find((candidate) => candidate.id === provider);
      return found && found.public !== false ? [found.public.name] : [];
    });
    const next = edited(incident, command, login, at, components);
    changed = next !== undefined;
    if (next) await writeIncident(tree, workspace, next);
    const what = command.verb === "ack" ? `Acknowledge incident ${id}` : `Post an update to incident ${id}`;
    return { paths: next ? [incident.file] : [], urgent: true, headline: `${what} (@${login} on #${event.issue.number})` };
  };

  let publish: PublishOutcome | undefined;
  try {
    // Urgent, so it is committed at once whatever the batch setting.
    if (options.push) publish = await publishCycle({ root: options.root, run: `issue-comment-${event.comment.id}`, now: options.now, sampleBatch: 0, apply });
    else await apply(options.root);
  } catch (error) {
    if (!(error instanceof EditRefused || error instanceof InvalidIncident)) throw error;
    await github.addComment(event.issue.number, `✗ Not recorded: ${error.message}.`, reply);
    return { message: `Not recorded: ${error.message}; replied on #${event.issue.number}.`, incident: id };
  }
  const where = `\`${file}\`${publish?.commit ? ` (commit ${publish.commit.slice(0, 7)})` : ""}`;
  const said =
    command.verb === "ack"
      ? changed
        ? `✓ Acknowledged by @${login}; recorded in ${where}.`
        : `✓ Already acknowledged; ${where} is unchanged.`
      : `✓ Public update from @${login} recorded in ${where}; the status page shows it after its next build.`;
  await github.addComment(event.issue.number, said, reply);
  return { message: said.replace(/^✓ /, ""), incident: id, publish };
}

/** Brings the issues of every incident in the window in step with the files in `root`. */
export async function mirrorIncidents(mirror: IncidentMirror, root: string, now: Date): Promise<MirrorReport> {
  const { workspace, problems } = await loadWorkspace(root);
  if (!workspace) return { changes: [], failures: [`the workspace does not validate (${problems.filter((problem) => problem.severity === "error").length} errors); nothing mirrored`], unrecorded: [] };
  return mirror.sync(workspace.incidents, workspace.providers, now);
}

/**
 * Writes the issues the mirror opened (or found by their marker) into their incident files as `issue:`, the
 * record commands are checked against; with `push`, committed at once through gitops (re-applied on a newer
 * main when the push loses a race), otherwise left in `root` for the person to commit.
 */
export async function recordIssues(root: string, unrecorded: MirrorReport["unrecorded"], options: { push: boolean; now: () => Date }): Promise<PublishOutcome | undefined> {
  if (unrecorded.length === 0) return undefined;
  const apply = async (tree: string): Promise<CycleResult> => {
    const { workspace } = await loadWorkspace(tree);
    if (!workspace) return { paths: [], urgent: false };
    const paths: string[] = [];
    for (const { incident: id, issue } of unrecorded) {
      const incident = workspace.incidents.find((candidate) => candidate.frontmatter.id === id);
      if (!incident || incident.frontmatter.issue === issue) continue;
      await writeIncident(tree, workspace, { ...incident, frontmatter: { ...incident.frontmatter, issue } });
      paths.push(incident.file);
    }
    const list = unrecorded.map(({ incident, issue }) => `#${issue} for ${incident}`).join(", ");
    return { paths, urgent: paths.length > 0, headline: `Record the mirrored issue${unrecorded.length === 1 ? "" : "s"} ${list}` };
  };
  if (!options.push) {
    await apply(root);
    return undefined;
  }
  return publishCycle({ root, run: `issue-record-${options.now().getTime()}`, now: options.now, sampleBatch: 0, apply });
}

