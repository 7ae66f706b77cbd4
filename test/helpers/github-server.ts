/**
 * A local server speaking the GitHub REST shapes Signalroom uses (issues, comments, labels filter,
 * pagination with Link headers, workflow dispatches and enabling, the repository and a collaborator's
 * permission, token auth, injectable failures), so octokit runs its production code path against
 * 127.0.0.1 with only the base URL changed. Reused by the incident mirror's tests and the workflow runner,
 * which hands each job a token with only its `permissions:` (`authorize`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeComment {
  id: number;
  body: string;
  created_at: string;
  /** Who wrote it: the token's bot unless a person commented through `personComments`. */
  login: string;
  author_association: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
  comments: FakeComment[];
  /** Who opened it: the token's bot (`github-actions[bot]`) unless a person did (`personOpens`). */
  author?: string;
}

/** What a request needs, as a GitHub App permission: e.g. `{ scope: "issues", access: "write" }`. */
export interface Need {
  scope: "metadata" | "issues" | "actions" | "contents";
  access: "read" | "write";
}

export interface GitHubServer {
  /** Pass as `apiUrl`. */
  apiUrl: string;
  token: string;
  repository: string;
  issues: FakeIssue[];
  /** Workflow dispatches received, oldest first. */
  dispatches: { workflow: string; ref: string }[];
  /** Workflows enabled through the API (`PUT …/actions/workflows/ID/enable`), in order. */
  enabled: string[];
  /** Repository permission of each person (`admin`, `maintain`, `write`, `triage`, `read`); others have `none`. */
  collaborators: Record<string, string>;
  /** Every request as `METHOD /path?query`. */
  requests: string[];
  /** The next `count` requests fail with this status (e.g. 502 for an outage, 401 for a bad token). */
  failNext(count: number, status: number, headers?: Record<string, string>, message?: string): void;
  /** A person comments on an issue; returns the `issue_comment` event GitHub would hand a workflow. */
  personComments(issue: number, body: string, login: string, association: string, at?: string): IssueCommentPayload;
  /** A person opens an issue (anyone can, with any body); returns its number. */
  personOpens(title: string, body: string, login: string, labels?: string[]): number;
  close(): Promise<void>;
}

/** The fields of GitHub's `issue_comment` webhook payload that a workflow sees (the real one has more). */
export interface IssueCommentPayload {
  action: "created";
  issue: { number: number; title: string; body: string; state: string; html_url: string; labels: { name: string }[]; user: { login: string; type: string }; pull_request?: unknown };
  comment: { id: number; body: string; created_at: string; author_association: string; user: { login: string; type: string }; html_url: string };
  repository: { full_name: string };
  sender: { login: string };
}

export interface GitHubServerOptions {
  token?: string;
  repository?: string;
  pageSize?: number;
  /** Whether the repository is private (`GET /repos/OWNER/NAME`); default true. */
  private?: boolean;
  /**
   * Whether a token may do what a request needs: false is GitHub's 403 "Resource not accessible by
   * integration", undefined an unknown token (401). Default: only `token`, allowed everything.
   */
  authorize?(token: string, need: Need): boolean | undefined;
}

const BOT = "github-actions[bot]";
const userJson = (login: string) => ({ login, type: login.endsWith("[bot]") ? "Bot" : "User" });

/** The permission a request needs, by GitHub's rules for GitHub App tokens. */
function needOf(method: string, path: string): Need {
  const write = method !== "GET";
  if (/\/actions\//.test(path)) return { scope: "actions", access: write ? "write" : "read" };
  if (/\/issues/.test(path)) return { scope: "issues", access: write ? "write" : "read" };
  if (/\/collaborators\//.test(path) || /^\/repos\/[^/]+\/[^/]+$/.test(path)) return { scope: "metadata", access: "read" };
  return { scope: "contents", access: write ? "write" : "read" };
}

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const token = options.token ?? "test-token";
  const repository = options.repository ?? "acme/status";
  const issues: FakeIssue[] = [];
  const dispatches: { workflow: string; ref: string }[] = [];
  const enabled: string[] = [];
  const collaborators: Record<string, string> = {};
  const requests: string[] = [];
  const failures: { status: number; headers: Record<string, string>; message: string }[] = [];
  let nextComment = 1;
  let apiUrl = "";

  const send = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ratelimit-remaining": "4999", ...headers }).end(JSON.stringify(value));
  const readJson = async (request: IncomingMessage) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    return text ? JSON.parse(text) : {};
  };
  const issueJson = (issue: FakeIssue) => ({
    id: issue.number * 1000,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    labels: issue.labels.map((name) => ({ name })),
    user: userJson(issue.author ?? BOT),
    comments: issue.comments.length,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    html_url: `https://github.example/${repository}/issues/${issue.number}`,
    url: `${apiUrl}/repos/${repository}/issues/${issue.number}`,
  });
  const commentJson = (issue: FakeIssue, comment: FakeComment) => ({
    id: comment.id,
    body: comment.body,
    created_at: comment.created_at,
    updated_at: comment.created_at,
    author_association: comment.author_association,
    user: userJson(comment.login),
    html_url: `https://github.example/${repository}/issues/${issue.number}#issuecomment-${comment.id}`,
  });
  const paginate = <T>(url: URL, list: T[]) => {
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), options.pageSize ?? 100);
    const page = Number(url.searchParams.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${apiUrl}${next.pathname}${next.search}>; rel="next", <${apiUrl}${next.pathname}?${new URLSearchParams({ ...Object.fromEntries(next.searchParams), page: String(last) })}>; rel="last"`;
    }
    return { slice: list.slice((page - 1) * perPage, page * perPage), headers };
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const failure = failures.shift();
    if (failure) return send(response, failure.status, { message: failure.message }, failure.headers);
    const presented = /^(?:token|bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
    const allowed = options.authorize ? options.authorize(presented, needOf(request.method ?? "GET", url.pathname)) : presented === token || undefined;
    if (allowed === undefined) return send(response, 401, { message: "Bad credentials" });
    if (!allowed) return send(response, 403, { message: "Resource not accessible by integration" });
    const [owner, name] = repository.split("/");
    if (url.pathname === `/repos/${repository}` && request.method === "GET") {
      const isPrivate = options.private ?? true;
      return send(response, 200, {
        id: 1,
        name,
        full_name: repository,
        private: isPrivate,
        visibility: isPrivate ? "private" : "public",
        owner: { login: owner, type: "Organization" },
        default_branch: "main",
        html_url: `https://github.example/${repository}`,
      });
    }
    const permission = /^\/repos\/([^/]+\/[^/]+)\/collaborators\/([^/]+)\/permission$/.exec(url.pathname);
    if (permission && permission[1] === repository && request.method === "GET") {
      const login = decodeURIComponent(permission[2]!);
      const level = collaborators[login] ?? "none";
      return send(response, 200, { permission: level === "maintain" ? "write" : level === "triage" ? "read" : level, role_name: level, user: userJson(login) });
    }
    const enable = /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/enable$/.exec(url.pathname);
    if (enable && enable[1] === repository && request.method === "PUT") {
      enabled.push(decodeURIComponent(enable[2]!));
      return response.writeHead(204).end();
    }
    const dispatch = /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/.exec(url.pathname);
    if (dispatch && dispatch[1] === repository && request.method === "POST") {
      const input = await readJson(request);
      if (!input.ref) return send(response, 422, { message: "Invalid request: ref is required" });
      dispatches.push({ workflow: decodeURIComponent(dispatch[2]!), ref: input.ref });
      return response.writeHead(204).end();
    }
    const match = /^\/repos\/([^/]+\/[^/]+)\/issues(?:\/(\d+))?(\/comments)?$/.exec(url.pathname);
    if (!match || match[1] !== repository) return send(response, 404, { message: "Not Found" });
    const number = match[2] ? Number(match[2]) : undefined;
    const issue = number === undefined ? undefined : issues.find((candidate) => candidate.number === number);
    if (number !== undefined && !issue) return send(response, 404, { message: "Not Found" });
    const now = new Date().toISOString();

    if (!issue && request.method === "GET") {
      const state = url.searchParams.get("state") ?? "open";
      const labels = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
      let list = issues.filter((candidate) => (state === "all" || candidate.state === state) && labels.every((label) => candidate.labels.includes(label)));
      if ((url.searchParams.get("direction") ?? "desc") === "desc") list = [...list].reverse();
      const { slice, headers } = paginate(url, list);
      return send(response, 200, slice.map(issueJson), headers);
    }
    if (!issue && request.method === "POST") {
      const input = await readJson(request);
      if (!input.title) return send(response, 422, { message: "Validation Failed", errors: [{ field: "title", code: "missing_field" }] });
      const created: FakeIssue = { number: issues.length + 1, title: input.title, body: input.body ?? "", state: "open", state_reason: null, labels: input.labels ?? [], created_at: now, updated_at: now, comments: [] };
      issues.push(created);
      return send(response, 201, issueJson(created));
    }
    if (issue && !match[3] && request.method === "GET") return send(response, 200, issueJson(issue));
    if (issue && !match[3] && request.method === "PATCH") {
      const input = await readJson(request);
      Object.assign(issue, {
        ...(input.title !== undefined && { title: input.title }),
        ...(input.body !== undefined && { body: input.body }),
        ...(input.state !== undefined && { state: input.state, state_reason: input.state === "closed" ? (input.state_reason ?? "completed") : "reopened" }),
        ...(input.labels !== undefined && { labels: input.labels }),
        updated_at: now,
      });
      return send(response, 200, issueJson(issue));
    }
    if (issue && match[3] && request.method === "GET") {
      const { slice, headers } = paginate(url, issue.comments);
      return send(response, 200, slice.map((comment) => commentJson(issue, comment)), headers);
    }
    if (issue && match[3] && request.method === "POST") {
      const input = await readJson(request);
      const comment = { id: nextComment++, body: input.body ?? "", created_at: now, login: "github-actions[bot]", author_association: "NONE" };
      issue.comments.push(comment);
      issue.updated_at = now;
      return send(response, 201, commentJson(issue, comment));
    }
    return send(response, 404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl,
    token,
    repository,
    issues,
    dispatches,
    enabled,
    collaborators,
    requests,
    failNext(count, status, headers = {}, message = "Server Error") {
      for (let i = 0; i < count; i++) failures.push({ status, headers, message });
    },
    personComments(number, body, login, association, at = new Date().toISOString()) {
      const issue = issues.find((candidate) => candidate.number === number);
      if (!issue) throw new Error(`no issue #${number}`);
      const comment: FakeComment = { id: nextComment++, body, created_at: at, login, author_association: association };
      issue.comments.push(comment);
      const { comments: _comments, ...fields } = issueJson(issue);
      return {
        action: "created",
        issue: fields,
        comment: { ...commentJson(issue, comment), user: { login, type: "User" } },
        repository: { full_name: repository },
        sender: { login },
      };
    },
    personOpens(title, body, login, labels = []) {
      const now = new Date().toISOString();
      const number = issues.length + 1;
      issues.push({ number, title, body, state: "open", state_reason: null, labels, created_at: now, updated_at: now, comments: [], author: login });
      return number;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
