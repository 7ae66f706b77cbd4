/**
 * A local server speaking the GitHub REST shapes Signalroom uses (issues, comments, labels filter,
 * pagination with Link headers, token auth, injectable failures), so octokit runs its production code path
 * against 127.0.0.1 with only the base URL changed. Reused by the incident mirror's tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeComment {
  id: number;
  body: string;
  created_at: string;
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
}

export interface GitHubServer {
  /** Pass as `apiUrl`. */
  apiUrl: string;
  token: string;
  repository: string;
  issues: FakeIssue[];
  /** Every request as `METHOD /path?query`. */
  requests: string[];
  /** The next `count` requests fail with this status (e.g. 502 for an outage, 401 for a bad token). */
  failNext(count: number, status: number, headers?: Record<string, string>, message?: string): void;
  close(): Promise<void>;
}

export async function startGitHubServer(options: { token?: string; repository?: string; pageSize?: number } = {}): Promise<GitHubServer> {
  const token = options.token ?? "test-token";
  const repository = options.repository ?? "acme/status";
  const issues: FakeIssue[] = [];
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
    const auth = request.headers.authorization ?? "";
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) return send(response, 401, { message: "Bad credentials" });
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
      const comment = { id: nextComment++, body: input.body ?? "", created_at: now };
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
    requests,
    failNext(count, status, headers = {}, message = "Server Error") {
      for (let i = 0; i < count; i++) failures.push({ status, headers, message });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
