import { benches } from "../bench/registry.ts";
import { UserError, type Command } from "./command.ts";

export const bench: Command = {
  name: "bench",
  summary: "Measure speed and size: prints the figures, or one JSON object with --json.",
  usage: `<${benches.map((entry) => entry.name).join("|")}> [--json] [bench options]`,
  options: Object.assign({ json: { type: "boolean" } }, ...benches.map((entry) => entry.options)),
  async run({ repo, env, positionals, values, terminal }) {
    const chosen = benches.find((entry) => entry.name === positionals[0]);
    if (!chosen) throw new UserError(`Name a bench: ${benches.map((entry) => `${entry.name} (${entry.summary})`).join(", ")}.`);
    const figures = await chosen.run({ repo, env, terminal, values });
    terminal.clearProgress();
    if (values.json) {
      terminal.out(JSON.stringify({ bench: chosen.name, ...figures }));
      return 0;
    }
    const width = Math.max(...Object.keys(figures).map((key) => key.length));
    terminal.out(terminal.paint.bold(`bench ${chosen.name}`));
    for (const [key, value] of Object.entries(figures)) terminal.out(`  ${key.padEnd(width)}  ${value}`);
    return 0;
  },
};
