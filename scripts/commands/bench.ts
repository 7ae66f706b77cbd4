import { benches } from "../bench/registry.ts";
import { UserError, type Command } from "./command.ts";

export const bench: Command = {
  name: "bench",
  summary: "Measure speed and size: npm run bench -- NAME prints figures (--json: one JSON object).",
  usage: `NAME [--json] [bench options]    (NAME: ${benches.map((entry) => entry.name).join(", ")})`,
  options: Object.assign({ json: { type: "boolean" } }, ...benches.map((entry) => entry.options ?? {})),
  async run({ repo, env, positionals, values, terminal }) {
    const [name, ...extra] = positionals;
    const names = benches.map((entry) => entry.name).join(", ");
    if (!name || extra.length > 0) throw new UserError(`Name one bench to run: npm run bench -- NAME [--json]. Benches: ${names}.`);
    const chosen = benches.find((entry) => entry.name === name);
    if (!chosen) throw new UserError(`Unknown bench "${name}". Benches: ${names}.`);
    const report = await chosen.run({ repo, env, terminal, values });
    terminal.clearProgress();
    if (values.json) {
      terminal.out(JSON.stringify({ bench: chosen.name, ...report.figures }));
      return 0;
    }
    terminal.out(terminal.paint.bold(`bench ${chosen.name}`));
    if (report.lines) {
      for (const line of report.lines) terminal.out(line);
      return 0;
    }
    const width = Math.max(...Object.keys(report.figures).map((key) => key.length));
    for (const [key, value] of Object.entries(report.figures)) terminal.out(`  ${key.padEnd(width)}  ${value}`);
    return 0;
  },
};
