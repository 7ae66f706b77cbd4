import type { ParseArgsOptionsConfig } from "node:util";
import type { Clock } from "../core/clock.ts";
import type { Terminal } from "../terminal.ts";

export interface CommandContext {
  /** The workspace: a folder with checks/ and incidents/ (`--root`, default the repository). */
  root: string;
  /** The repository Signalroom runs from (where site/ and astro.config.mjs live). */
  repo: string;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  terminal: Terminal;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}

/** One CLI verb: a thin file that composes the layers below and holds no logic of its own. */
export interface Command {
  name: string;
  summary: string;
  /** Usage lines after `npm run <name> --`, and one line per option. */
  usage: string;
  options: ParseArgsOptionsConfig;
  run(context: CommandContext): Promise<number>;
}

/** A mistake the user can fix: printed as one sentence, no stack trace, exit 1. */
export class UserError extends Error {
  override name = "UserError";
}
