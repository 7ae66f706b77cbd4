import { main, type MainOptions } from "../../scripts/cli.ts";
import { createTerminal } from "../../scripts/terminal.ts";

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
