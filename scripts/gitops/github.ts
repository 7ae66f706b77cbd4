/**
 * The GitHub REST client, built once per run (octokit with its retry and throttling plugins) and wrapped in
 * domain verbs. Every write is an upsert found again by a stable marker in the body (an HTML comment,
 * invisible on GitHub), never by title, so a re-run or a resend after a crash finds what it made before.
 * `apiUrl` is the route's (GitHub Enterprise Server has its own; tests point it at a local server).
 */
import { Octokit } from "octokit";
import { resolveEnv, type Environment } from "../core/secrets.ts";

export interface GitHubOptions {
  token: string;
  /** `owner/name` */
  repository: string;
  apiUrl: string;
  /** Retries of a failed request inside one call (the outbox retries again on later runs). */
  retries?: number;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  url: string;
  labels: string[];
}

export interface IssueComment {
  id: number;
  body: string;
  createdAt: string;
}

export interface GitHub {
  repository: string;
  /** The issue (open or closed) whose body holds the marker; issues are searched newest first, filtered by labels. */
  findIssue(marker: string, labels: readonly string[], signal?: AbortSignal): Promise<Issue | undefined>;
  /** The issue with this marker, created (with the marker appended to its body) when there is none. */
  ensureIssue(issue: { marker: string; title: string; body: string; labels: readonly string[] }, signal?: AbortSignal): Promise<{ issue: Issue; created: boolean }>;
  /** Adds a comment unless one with the marker is already there. */
  comment(issue: number, body: string, marker: string, signal?: AbortSignal): Promise<{ created: boolean }>;
  listComments(issue: number, signal?: AbortSignal): Promise<IssueComment[]>;
  closeIssue(issue: number, signal?: AbortSignal): Promise<void>;
  /** Every issue (open or closed, no pull requests) carrying all of `labels`, newest first: one listing for many markers. */
  listIssues(labels: readonly string[], signal?: AbortSignal): Promise<Issue[]>;
  /** Creates an issue without looking for one first (the caller listed them); the marker is appended to the body. */
  createIssue(issue: { marker: string; title: string; body: string; labels: readonly string[] }, signal?: AbortSignal): Promise<Issue>;
  /** Changes title, body (the marker appended again) or state; reopening is `state: "open"`; closing is as completed unless said otherwise. */
  editIssue(
    issue: number,
    change: { title?: string; body?: { text: string; marker: string }; state?: "open" | "closed"; closedAs?: "completed" | "duplicate" },
    signal?: AbortSignal,
  ): Promise<Issue>;
  /** Adds a comment without listing first (the caller knows it is not there); the marker is appended. */
  addComment(issue: number, body: string, marker: string, signal?: AbortSignal): Promise<void>;
  /** Starts a workflow that has a `workflow_dispatch` trigger, on `ref`. */
  dispatchWorkflow(workflow: string, ref: string, signal?: AbortSignal): Promise<void>;
  /** A person's permission on the repository as GitHub reports it: `admin`, `write` (also for maintainers), `read` or `none`. */
  permissionOf(login: string, signal?: AbortSignal): Promise<string>;
}

/** GitHub's REST API address: the one configured, else the runner's GITHUB_API_URL (GitHub Enterprise Server sets its own), else github.com's. */
export function apiUrlFrom(configured: string | undefined, env: Environment): string {
  return configured ?? (env.GITHUB_API_URL || "https://api.github.com");
}

/** The GitHub client of a workflow run (or the service) from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL, or what is missing. */
export function githubFromEnv(env: Environment): GitHub | { missing: string[] } {
  const { value, missing } = resolveEnv({ token: "${env:GITHUB_TOKEN}", repository: "${env:GITHUB_REPOSITORY}" }, env);
  if (missing.length > 0) return { missing };
  return createGitHub({ token: value.token, repository: value.repository, apiUrl: apiUrlFrom(undefined, env) });
}

/** Whether an issue's body is this body with this marker, as `createIssue` and `editIssue` write it (line endings aside). */
export function sameBody(current: string, body: string, mark: string): boolean {
  const normal = (text: string) => text.replace(/\r\n/g, "\n").trim();
  return normal(current) === normal(withMarker(body, mark));
}

/** `<!-- signalroom:alert=rule@20261116T1045Z -->`: how Signalroom recognises its own issues and comments. */
export function marker(kind: string, key: string): string {
  return `<!-- signalroom:${kind}=${key.replace(/--/g, "- -")} -->`;
}

function withMarker(body: string, mark: string): string {
  return `${body}\n\n${mark}\n`;
}

type RawIssue = { number: number; title: string; body?: string | null; state: string; html_url: string; labels: (string | { name?: string })[]; pull_request?: unknown };

function toIssue(raw: RawIssue): Issue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? "",
    state: raw.state === "closed" ? "closed" : "open",
    url: raw.html_url,
    labels: raw.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))),
  };
}

export function createGitHub(options: GitHubOptions): GitHub {
  const [owner, repo] = options.repository.split("/");
  if (!owner || !repo) throw new Error(`the repository must look like owner/name, not "${options.repository}"`);
  const retries = options.retries ?? 2;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/$/, ""),
    userAgent: "signalroom",
    retry: { retries, retryAfterBaseValue: 500 },
    throttle: {
      // Waiting out a primary or secondary rate limit once is fine; past that the outbox retries on a later run.
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const request = (signal?: AbortSignal) => (signal ? { request: { signal } } : {});
  // Issues and pull requests with all of `labels`, newest first, 100 a page.
  const issueQuery = (labels: readonly string[], signal?: AbortSignal) => ({
    owner,
    repo,
    state: "all" as const,
    labels: labels.length ? labels.join(",") : undefined,
    sort: "created" as const,
    direction: "desc" as const,
    per_page: 100,
    ...request(signal),
  });

  const github: GitHub = {
    repository: options.repository,
    async findIssue(mark, labels, signal) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, issueQuery(labels, signal));
      for await (const page of pages) {
        const found = (page.data as RawIssue[]).find((issue) => !issue.pull_request && (issue.body ?? "").includes(mark));
        if (found) return toIssue(found);
      }
      return undefined;
    },
    async ensureIssue({ marker: mark, title, body, labels }, signal) {
      const existing = await github.findIssue(mark, labels, signal);
      if (existing) return { issue: existing, created: false };
      return { issue: await github.createIssue({ marker: mark, title, body, labels }, signal), created: true };
    },
    async listComments(issue, signal) {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100, ...request(signal) });
      return comments.map((comment) => ({ id: comment.id, body: comment.body ?? "", createdAt: comment.created_at }));
    },
    async comment(issue, body, mark, signal) {
      const comments = await github.listComments(issue, signal);
      if (comments.some((comment) => comment.body.includes(mark))) return { created: false };
      await github.addComment(issue, body, mark, signal);
      return { created: true };
    },
    async closeIssue(issue, signal) {
      await octokit.rest.issues.update({ owner, repo, issue_number: issue, state: "closed", state_reason: "completed", ...request(signal) });
    },
    async listIssues(labels, signal) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, issueQuery(labels, signal));
      return (issues as RawIssue[]).filter((issue) => !issue.pull_request).map(toIssue);
    },
    async createIssue({ marker: mark, title, body, labels }, signal) {
      const created = await octokit.rest.issues.create({ owner, repo, title, body: withMarker(body, mark), labels: [...labels], ...request(signal) });
      return toIssue(created.data as RawIssue);
    },
    async editIssue(issue, change, signal) {
      const body = change.body && withMarker(change.body.text, change.body.marker);
      const state = change.state === undefined ? {} : { state: change.state, state_reason: change.state === "closed" ? (change.closedAs ?? "completed") : ("reopened" as const) };
      const updated = await octokit.rest.issues.update({ owner, repo, issue_number: issue, title: change.title, body, ...state, ...request(signal) });
      return toIssue(updated.data as RawIssue);
    },
    async addComment(issue, body, mark, signal) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body: withMarker(body, mark), ...request(signal) });
    },
    async dispatchWorkflow(workflow, ref, signal) {
      await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: workflow, ref, ...request(signal) });
    },
    async permissionOf(login, signal) {
      try {
        return (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login, ...request(signal) })).data.permission;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return "none";
        throw error;
      }
    },
  };
  return github;
}
