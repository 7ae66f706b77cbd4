import { execFile } from "node:child_process";

export class GitError extends Error {
  override name = "GitError";
  readonly stderr: string;
  readonly code: number | undefined;
  constructor(args: readonly string[], stderr: string, code: number | undefined) {
    super(`git ${args.join(" ")} failed${code === undefined ? "" : ` (exit ${code})`}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`);
    this.stderr = stderr;
    this.code = code;
  }
}

export interface GitOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** Who commits: probe runs sign as the bot, so people's commits stand apart in `git log`. */
export const BOT = { name: "signalroom[bot]", email: "signalroom@users.noreply.github.com" };

/**
 * Credentials for GitHub from the environment: with GITHUB_TOKEN set (by a workflow step, or in the service's
 * environment), git authenticates to GITHUB_SERVER_URL (default https://github.com) with it as actions/checkout
 * does, but only for this process's git commands. The workflows check out with `persist-credentials: false`, so
 * no token is left in .git/config for later steps and dependencies to read; a header persisted anyway is
 * reset first, so one Authorization header goes out.
 */
export function credentialEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const token = env.GITHUB_TOKEN;
  if (!token) return {};
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const count = Number(env.GIT_CONFIG_COUNT) || 0;
  const key = `http.${server}/.extraheader`;
  return {
    GIT_CONFIG_COUNT: String(count + 2),
    [`GIT_CONFIG_KEY_${count}`]: key,
    [`GIT_CONFIG_VALUE_${count}`]: "",
    [`GIT_CONFIG_KEY_${count + 1}`]: key,
    [`GIT_CONFIG_VALUE_${count + 1}`]: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`,
  };
}

/** Runs git in `cwd` and returns stdout; a failing command throws a GitError with git's own words. */
export function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [...args],
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: BOT.name,
          GIT_AUTHOR_EMAIL: BOT.email,
          GIT_COMMITTER_NAME: BOT.name,
          GIT_COMMITTER_EMAIL: BOT.email,
          GIT_TERMINAL_PROMPT: "0",
          ...credentialEnv(process.env),
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(args, stderr || error.message, typeof error.code === "number" ? error.code : undefined));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** The commit a ref points to, or undefined when it does not exist. */
export async function revParse(cwd: string, ref: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}
