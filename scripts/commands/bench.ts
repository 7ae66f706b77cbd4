import { benches } from "../bench/registry.ts";
import { UserError, type Command } from "./command.ts";

export const bench: Command = {
  name: "bench",
  summary: "Run a benchmark and print its figures.",
  usage: `NAME [--json]    benches: ${benches.map((entry) => entry.name).join(", ")}`,
  options: { json: { type: "boolean" } },
  async run({ root, repo, positionals, values, terminal }) {
    const name = positionals[0];
    const chosen = benches.find((entry) => entry.name === name);
    if (!chosen) throw new UserError(`${name ? `Unknown bench "${name}"` : "Name a bench"}: ${benches.map((entry) => `${entry.name} (${entry.summary})`).join(", ")}.`);
    const started = Date.now();
    const result = await chosen.run({ root, repo, progress: (text) => terminal.progress(`${chosen.name}: ${text}`) });
    terminal.clearProgress();
    if (values.json) {
      terminal.out(JSON.stringify({ bench: chosen.name, ...result.figures, notes: result.notes ?? [] }, null, 2));
      return 0;
    }
    terminal.out(terminal.paint.bold(`${chosen.name}: ${chosen.summary}`));
    const width = Math.max(...Object.keys(result.figures).map((key) => key.length));
    for (const [key, value] of Object.entries(result.figures)) terminal.out(`  ${key.padEnd(width)}  ${value}`);
    for (const note of result.notes ?? []) terminal.out(terminal.paint.dim(`  ${note}`));
    terminal.out(terminal.paint.dim(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`));
    return 0;
  },
};
