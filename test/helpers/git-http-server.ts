/**
 * A git server over smart HTTP on 127.0.0.1: git's own `git http-backend` behind a small CGI bridge, so
 * clones, fetches and pushes go through the same protocol and credential handling as with GitHub
 * (`http.<url>.extraheader`, as actions/checkout persists it, or a token in the URL). Every request is
 * authorised by the caller's rule with the token it carries, so a job without `contents: write` cannot
 * push and a private repository cannot be cloned without a token.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type GitAccess = "read" | "write";

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT`: a repository `owner/name` is at `${url}/owner/name.git`. */
  url: string;
  /** Every request as `METHOD /owner/name.git/... token?` (the token's first characters, or `anonymous`). */
  requests: string[];
  close(): Promise<void>;
}

export interface GitHttpOptions {
  /** Folder holding `owner/name.git` bare repositories. */
  root: string;
  /** Whether `token` (undefined: no credentials sent) may read or write `repository` (`owner/name`). */
  authorize(token: string | undefined, repository: string, access: GitAccess): boolean;
}

/** The token of a request: Basic with any user and the token as password (git's way), or Bearer. */
function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? "";
  const basic = /^basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, "base64").toString("utf8").split(":").slice(1).join(":") || undefined;
  return /^(?:bearer|token)\s+(\S+)$/i.exec(header)?.[1];
}

export async function startGitHttpServer(options: GitHttpOptions): Promise<GitHttpServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    // `owner/name` or `owner/name.git`, as GitHub accepts both.
    const match = /^\/([^/]+\/[^/]+?)(?:\.git)?(\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/.exec(url.pathname);
    const service = url.searchParams.get("service") ?? /\/(git-[a-z-]+)$/.exec(url.pathname)?.[1];
    const token = tokenOf(request);
    requests.push(`${request.method} ${url.pathname}${url.search} ${token ? token.slice(0, 8) : "anonymous"}`);
    if (!match || (service !== "git-upload-pack" && service !== "git-receive-pack")) return response.writeHead(404).end("Not Found");
    const access: GitAccess = service === "git-receive-pack" ? "write" : "read";
    if (!options.authorize(token, match[1]!, access)) {
      // No credentials: ask for them, as GitHub does; wrong ones: refuse.
      if (!token) return response.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' }).end("Authentication required");
      return response.writeHead(403).end(`Permission to ${match[1]}.git denied.`);
    }
    const backend = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: `/${match[1]}.git${match[2]}`,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? "GET",
        CONTENT_TYPE: request.headers["content-type"] ?? "",
        // git http-backend enables pushes only for an authenticated user.
        REMOTE_USER: "x-access-token",
        REMOTE_ADDR: "127.0.0.1",
        ...(request.headers["content-encoding"] && { HTTP_CONTENT_ENCODING: String(request.headers["content-encoding"]) }),
        ...(request.headers["git-protocol"] && { GIT_PROTOCOL: String(request.headers["git-protocol"]) }),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    request.pipe(backend.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    backend.stdout.on("data", (chunk: Buffer) => {
      if (started) return void response.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      started = true;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
        const [name, ...rest] = line.split(":");
        const value = rest.join(":").trim();
        if (name!.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name!] = value;
      }
      response.writeHead(status, headers);
      response.write(head.subarray(end + 4));
    });
    let stderr = "";
    backend.stderr.on("data", (chunk) => (stderr += chunk));
    backend.on("close", (code) => {
      if (!started) response.writeHead(500).end(`git http-backend failed (${code}): ${stderr}`);
      else response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
