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
