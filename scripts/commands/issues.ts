import { resolve } from "node:path";
import { describeIssues, formatPath } from "../core/problems.ts";
import { createIncidentMirror, mirrorGitHub, mirrorWith } from "../gitops/incident-mirror.ts";
import { issueFields } from "../core/topology.ts";
import { dispatcherOf, followMirror, startWorkflow } from "../follow-up.ts";
import { handleIssueComment, issueCommentEvent } from "../issue-mirror.ts";
import { guardCommit } from "../commit-guard.ts";
import { readTextIfExists } from "../store/files.ts";
import { UserError, type Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

const VERBS = ["sync", "comment"] as const;

/** GitHub or git failing (after octokit's retries) is one sentence and exit 1, not a stack trace. */
async function reaching<T>(repository: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Could not finish with ${repository}: ${(error as Error).message}`);
  }
}

async function readEvent(path: string) {
  const text = await readTextIfExists(path);
  if (text === undefined) throw new UserError(`The event file ${path} does not exist.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`The event file ${path} is not valid JSON.`);
  }
  const parsed = issueCommentEvent.safeParse(data);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error.issues, data)[0]!;
    throw new UserError(`The event file ${path} is not an issue_comment event: ${formatPath(issue.path)}: ${issue.message}.`);
  }
  return parsed.data;
}

export const issues: Command = {
  name: "issues",
  summary: "The GitHub issue mirror of incidents: sync the issues, or record an /ack or /update comment (the issue_comment workflow).",
  usage: [
    "sync [--push] | comment [--event FILE] [--push [--dispatch WORKFLOW]]",
    "",
    "  sync           bring every open or recently resolved incident's issue in step with its file, and record the",
    "                 issues it opens in their incident files (`issue:`; committed with --push)",
    "  comment        record the /ack or /update <text> of an issue_comment event in the incident file",
    "  --event FILE   the event payload (default: $GITHUB_EVENT_PATH, set by GitHub Actions)",
    "  --push         commit and push the edited incident (or the recorded issues) through gitops",
    "  --dispatch WORKFLOW  with --push, start this workflow (e.g. site.yml) once the edit landed on main",
  ].join("\n"),
  options: { event: { type: "string" }, push: { type: "boolean" }, dispatch: { type: "string" } },
  async run({ root, values, positionals, terminal, env, clock }) {
    const [verb, ...extra] = positionals;
    if (!verb || !(VERBS as readonly string[]).includes(verb) || extra.length > 0) throw new UserError(`Say what to do: npm run issues -- ${VERBS.join(" | ")} (got ${verb ? `"${positionals.join(" ")}"` : "nothing"}).`);
    const workspace = await validWorkspace(root, terminal, "nothing was mirrored");
    const settings = workspace.config.incidents.mirror;
    const detail = issueFields(workspace.config.deploy);

    if (verb === "sync") {
      const mirror = createIncidentMirror(settings, env, detail);
      if ("reason" in mirror) throw new UserError(`Nothing to sync: ${mirror.reason}.`);
      if (values.push) await guardCommit(terminal, workspace.config.deploy, env);
      const report = await reaching(mirror.repository, () => followMirror(terminal, mirror, root, () => clock.now(), values.push === true));
      terminal.out(`${report.failures.length ? terminal.paint.yellow("•") : terminal.paint.green("✓")} Issues in ${mirror.repository} are in step with incidents/ (${report.changes.length} change${report.changes.length === 1 ? "" : "s"}${report.failures.length ? `, ${report.failures.length} failed` : ""}).`);
      return report.failures.length ? 1 : 0;
    }

    if (values.dispatch !== undefined && !values.push) throw new UserError("--dispatch starts a workflow once the edit landed, so it needs --push.");
    const path = typeof values.event === "string" ? resolve(values.event) : env.GITHUB_EVENT_PATH;
    if (!path) throw new UserError("Name the event: --event FILE (in GitHub Actions, GITHUB_EVENT_PATH is used).");
    const event = await readEvent(path);
    if (values.push) await guardCommit(terminal, workspace.config.deploy, env);
    const github = mirrorGitHub(settings, env);
    if ("reason" in github) {
      if (github.off) {
        terminal.out(`Nothing to do: ${github.reason}.`);
        return 0;
      }
      throw new UserError(`Cannot record the comment: ${github.reason}.`);
    }
    const outcome = await reaching(github.repository, () => handleIssueComment({ root, event, github, now: () => clock.now(), push: values.push === true }));
    terminal.out(outcome.message);
    if (outcome.publish) terminal.out(`Published: ${outcome.publish.mode === "committed" ? `committed ${outcome.publish.commit?.slice(0, 7)} and pushed` : "nothing new to commit"}.`);
    // The edit shows on the issue at once (its body and, for an update, a new comment), not with the next probe run.
    if (outcome.incident) await reaching(github.repository, () => followMirror(terminal, mirrorWith(github, settings.labels, detail), root, () => clock.now(), values.push === true));
    const site = typeof values.dispatch === "string" && outcome.publish?.mode === "committed" ? dispatcherOf(terminal, values.dispatch, env) : undefined;
    if (site) await startWorkflow(terminal, site);
    return 0;
  },
};
