/**
 * The one entry point: `npm run <verb> -- [options]`. Parses the common options, runs the verb, and turns
 * user mistakes into one sentence and a non-zero exit.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { systemClock, type Clock } from "./core/clock.ts";
import { UserError, type Command } from "./commands/command.ts";
import { commands } from "./commands/registry.ts";
import { createTerminal, type Terminal } from "./terminal.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function help(command: Command): string {
  return [`npm run ${command.name} -- ${command.usage}`, "", command.summary, "", "  --root DIR   workspace with checks/ and incidents/ (default: the repository)", "  --help       show this help"].join("\n");
}

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "Signalroom: provider health, alerting and status pages from a git repository.",
    "",
    "Usage: npm run <command> -- [options]    (or: node scripts/signalroom.mjs <command> [options])",
    "",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Every command takes --root DIR and --help.",
  ].join("\n");
}

export interface MainOptions {
  terminal?: Terminal;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const terminal = options.terminal ?? createTerminal(env);
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    terminal.out(overview());
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    terminal.err(`Unknown command "${name}". Commands: ${commands.map((candidate) => candidate.name).join(", ")}.`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { ...command.options, root: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    terminal.err(`${(error as Error).message.replace(/\.$/, "")}. Run \`npm run ${command.name} -- --help\` for the options.`);
    return 2;
  }
  if (parsed.values.help) {
    terminal.out(help(command));
    return 0;
  }
  const root = resolve(typeof parsed.values.root === "string" ? parsed.values.root : repo);
  if (!existsSync(root)) {
    terminal.err(`The folder ${root} does not exist: --root must name a folder with checks/ and incidents/.`);
    return 1;
  }
  try {
    return await command.run({ root, repo, values: parsed.values, positionals: parsed.positionals, terminal, env, clock: options.clock ?? systemClock });
  } catch (error) {
    if (error instanceof UserError) {
      terminal.err(terminal.paint.red(error.message));
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(repo, "scripts/signalroom.mjs")) {
  process.exitCode = await main(process.argv.slice(2));
}
