import { spawn } from "node:child_process";
import { join } from "node:path";
import { main, type MainOptions } from "../../scripts/cli.ts";
import { createTerminal } from "../../scripts/terminal.ts";
import { REPO } from "./workspace.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI verb in-process with captured, colourless output. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: Omit<MainOptions, "terminal" | "env"> = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const terminal = createTerminal({ NO_COLOR: "1", ...env }, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  const code = await main(args, { ...options, terminal, env: { NO_COLOR: "1", ...env } });
  return { code, stdout, stderr };
}

/** Runs a CLI verb in a separate Node.js process, as `npm run <verb>` would. */
export function spawnCli(verb: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [join(REPO, "scripts/signalroom.mjs"), verb, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  return { child, done, output: () => ({ stdout, stderr }) };
}
