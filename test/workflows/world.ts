/**
 * "GitHub" for the workflow runner: a repository made from this one (its tracked and untracked,
 * not-ignored files, as "Use this template" would copy them) on a local git server over smart HTTP, the
 * local REST server (test/helpers/github-server.ts) for the API calls, tokens with permissions (each job
 * gets one with its `permissions:`; git and the API refuse what it may not do), secrets and variables,
 * and the folders artifacts and the Pages deployment land in. One world serves all scenarios of a test
 * file; each workflow run gets its own run id and folders.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { git } from "../../scripts/gitops/git.ts";
import { startGitHttpServer, type GitAccess, type GitHttpServer } from "../helpers/git-http-server.ts";
import { startGitHubServer, type GitHubServer, type Need } from "../helpers/github-server.ts";
import { REPO } from "../helpers/workspace.ts";
import { npmShim, preparedInstall } from "./install.ts";
import type { RepositoryInfo } from "./events.ts";

export type Access = "none" | "read" | "write";
/** A token's permissions per repository: scope (contents, issues, actions, pages, id-token, …) to access. */
export type Grants = Record<string, Record<string, Access>>;

export interface WorldOptions {
  repository?: string;
  private?: boolean;
  /** Edits the fresh repository before its first commit (configuration, canaries). */
  prepare?: (tree: string) => Promise<void>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
}

export interface World {
  repository: string;
  info: RepositoryInfo;
  dir: string;
  git: GitHttpServer;
  api: GitHubServer;
  /** The bare repository behind `repository`. */
  bare: string;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** A token for people (the repository's admin): clones and pushes with it. */
  adminToken: string;
  /** PATH of a job before setup-node: the npm stand-in first, then the machine's own tools. */
  path: string;
  /** The Node.js setup-node puts first on PATH (this process's). */
  toolcache: string;
  /** GitHub Pages of the repository: what the last deploy-pages published. */
  pages: string;
  mint(grants: Grants): string;
  allowed(token: string | undefined, repository: string, scope: string, access: "read" | "write"): boolean;
  /** Another repository on the same server (e.g. the public repository the site is pushed to). */
  createRepository(fullName: string, options: { private: boolean }): Promise<string>;
  /** A person's clone with credentials, to edit and push. */
  clone(name: string, repository?: string): Promise<string>;
  /** The head of main on the origin. */
  head(): Promise<string>;
  nextRunId(): number;
  close(): Promise<void>;
}

const rank: Record<Access, number> = { none: 0, read: 1, write: 2 };

/** This repository's files as a template copy holds them: tracked and untracked files git does not ignore. */
function templateFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter((file) => file && !/^checks\/(results|rollups|logs|heartbeats)\/|^checks\/state\.json$/.test(file));
}

/** The machine's npm, found on this process's PATH. */
function whichNpm(): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    try {
      accessSync(join(dir, "npm"), constants.X_OK);
      return join(dir, "npm");
    } catch {
      // Not in this folder.
    }
  }
  throw new Error("npm is not on PATH");
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const repository = options.repository ?? "acme/status";
  const dir = await mkdtemp(join(tmpdir(), "signalroom-world-"));
  const repos = join(dir, "repos");
  const tokens = new Map<string, Grants>();
  const visibility = new Map<string, boolean>([[repository, options.private ?? true]]);
  const mint = (grants: Grants) => {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    tokens.set(token, grants);
    return token;
  };
  const allowed = (token: string | undefined, repo: string, scope: string, access: "read" | "write") => {
    if (scope === "contents" && access === "read" && visibility.get(repo) === false) return true;
    const grants = token ? tokens.get(token)?.[repo] : undefined;
    if (!grants) return false;
    if (scope === "metadata") return true;
    return rank[grants[scope] ?? "none"] >= rank[access];
  };
  const adminToken = mint({});
  const adminGrants = () => Object.fromEntries(["contents", "issues", "actions", "pages", "pull-requests"].map((scope) => [scope, "write" as Access]));
  tokens.get(adminToken)![repository] = adminGrants();

  const gitServer = await startGitHttpServer({ root: repos, authorize: (token, repo, access: GitAccess) => allowed(token, repo, "contents", access) });
  const api = await startGitHubServer({
    repository,
    private: options.private ?? true,
    authorize: (token: string, need: Need) => (tokens.has(token) ? allowed(token, repository, need.scope, need.access) : undefined),
  });

  const createRepository = async (fullName: string, repoOptions: { private: boolean }) => {
    const bare = join(repos, `${fullName}.git`);
    await mkdir(dirname(bare), { recursive: true });
    await git(dir, ["init", "--quiet", "--bare", "--initial-branch=main", bare]);
    // Pushes over HTTP need this on a bare repository served by git http-backend.
    await git(bare, ["config", "http.receivepack", "true"]);
    visibility.set(fullName, repoOptions.private);
    tokens.get(adminToken)![fullName] = adminGrants();
    return bare;
  };
  const bare = await createRepository(repository, { private: options.private ?? true });

  // The fresh repository: this one's files, edited by the scenario, one commit on main.
  const seed = join(dir, "seed");
  await mkdir(seed);
  for (const file of templateFiles()) {
    await mkdir(dirname(join(seed, file)), { recursive: true });
    await cp(join(REPO, file), join(seed, file));
  }
  await options.prepare?.(seed);
  await git(seed, ["init", "--quiet", "--initial-branch=main"]);
  await git(seed, ["add", "-A"]);
  await git(seed, ["commit", "--quiet", "-m", "Create the status repository from the template"]);
  await git(seed, ["push", "--quiet", bare, "HEAD:refs/heads/main"]);
  await rm(seed, { recursive: true, force: true });

  const prepared = await preparedInstall();
  const bin = join(dir, "bin");
  await mkdir(bin);
  await writeFile(join(bin, "npm"), npmShim(whichNpm(), prepared));
  await chmod(join(bin, "npm"), 0o755);
  const pages = join(dir, "pages");
  await mkdir(pages);
  let runs = 1000;
  const authUrl = (repo: string) => {
    const url = new URL(`${gitServer.url}/${repo}.git`);
    url.username = "x-access-token";
    url.password = adminToken;
    return url.toString();
  };

  return {
    repository,
    info: { fullName: repository, private: options.private ?? true, serverUrl: gitServer.url },
    dir,
    git: gitServer,
    api,
    bare,
    secrets: { ...options.secrets },
    vars: { ...options.vars },
    adminToken,
    path: [bin, "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":"),
    toolcache: dirname(process.execPath),
    pages,
    mint,
    allowed,
    createRepository,
    async clone(name, repo = repository) {
      const path = join(dir, "people", name);
      await mkdir(dirname(path), { recursive: true });
      await git(dir, ["clone", "--quiet", authUrl(repo), path]);
      return path;
    },
    async head() {
      return (await git(bare, ["rev-parse", "refs/heads/main"])).trim();
    },
    nextRunId: () => ++runs,
    async close() {
      await Promise.all([gitServer.close(), api.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
