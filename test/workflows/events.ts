/**
 * Event payloads shaped like the ones GitHub hands a workflow run (`github.event`, the file at
 * GITHUB_EVENT_PATH), with the fields GitHub documents for each event; the repository object carries
 * `private` and `visibility` as GitHub's does. Since 2022 a scheduled run's payload has the repository,
 * organization and sender besides `schedule`.
 */

export interface RepositoryInfo {
  fullName: string;
  private: boolean;
  serverUrl?: string;
}

export interface WorkflowEvent {
  name: "schedule" | "workflow_dispatch" | "repository_dispatch" | "push" | "pull_request" | "issue_comment";
  payload: Record<string, unknown>;
  /** The ref the run is for (GITHUB_REF); default refs/heads/main. */
  ref?: string;
  /** The commit (GITHUB_SHA); default the head of `ref` on the origin. */
  sha?: string;
  /** Files a push changed, for `paths:` filters. */
  changed?: string[];
}

const SENDER = { login: "octo-admin", id: 101, type: "User", site_admin: false };

export function repositoryJson(repository: RepositoryInfo) {
  const [owner, name] = repository.fullName.split("/");
  const server = repository.serverUrl ?? "https://github.com";
  return {
    id: 424242,
    node_id: "R_kgDOsignal",
    name,
    full_name: repository.fullName,
    private: repository.private,
    visibility: repository.private ? "private" : "public",
    owner: { login: owner, id: 4242, type: "Organization", site_admin: false },
    html_url: `${server}/${repository.fullName}`,
    clone_url: `${server}/${repository.fullName}.git`,
    default_branch: "main",
    fork: false,
    archived: false,
    is_template: false,
  };
}

const common = (repository: RepositoryInfo) => ({
  repository: repositoryJson(repository),
  organization: { login: repository.fullName.split("/")[0], id: 4242 },
  sender: SENDER,
});

export function scheduleEvent(repository: RepositoryInfo, cron: string, workflow: string): WorkflowEvent {
  return { name: "schedule", payload: { schedule: cron, workflow: `.github/workflows/${workflow}`, ...common(repository) } };
}

export function workflowDispatchEvent(repository: RepositoryInfo, workflow: string, inputs: Record<string, string> = {}): WorkflowEvent {
  return { name: "workflow_dispatch", payload: { inputs, ref: "refs/heads/main", workflow: `.github/workflows/${workflow}`, ...common(repository) } };
}

export function repositoryDispatchEvent(repository: RepositoryInfo, type: string, clientPayload: Record<string, unknown>): WorkflowEvent {
  return { name: "repository_dispatch", payload: { action: type, branch: "main", client_payload: clientPayload, ...common(repository), installation: { id: 375706 } } };
}

export function pushEvent(repository: RepositoryInfo, before: string, after: string, changed: string[], message = "Edit"): WorkflowEvent {
  const commit = { id: after, tree_id: after, distinct: true, message, timestamp: new Date().toISOString(), author: { name: "Octo Admin", email: "admin@example.com", username: SENDER.login }, added: [], removed: [], modified: changed };
  return {
    name: "push",
    sha: after,
    changed,
    payload: { ref: "refs/heads/main", before, after, created: false, deleted: false, forced: false, base_ref: null, compare: "", commits: [commit], head_commit: commit, pusher: { name: SENDER.login, email: "admin@example.com" }, ...common(repository) },
  };
}

export function pullRequestEvent(repository: RepositoryInfo, number: number, head: { ref: string; sha: string }, base: { ref: string; sha: string }, merge: string): WorkflowEvent {
  const repo = repositoryJson(repository);
  return {
    name: "pull_request",
    ref: `refs/pull/${number}/merge`,
    sha: merge,
    payload: {
      action: "opened",
      number,
      pull_request: {
        number,
        state: "open",
        title: "Edit the checks",
        user: { login: "contributor", type: "User" },
        head: { ref: head.ref, sha: head.sha, repo },
        base: { ref: base.ref, sha: base.sha, repo },
        merge_commit_sha: merge,
        draft: false,
      },
      ...common(repository),
    },
  };
}

/** GitHub's `issue_comment` payload for a comment on an issue (the local GitHub server's `personComments` makes its issue and comment parts). */
export function issueCommentEvent(repository: RepositoryInfo, comment: { issue: object; comment: object; sender?: object }): WorkflowEvent {
  return { name: "issue_comment", payload: { action: "created", ...common(repository), issue: comment.issue, comment: comment.comment, sender: comment.sender ?? SENDER } };
}
