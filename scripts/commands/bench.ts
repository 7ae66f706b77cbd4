import { benches } from "../bench/registry.ts";
import { UserError, type Command } from "./command.ts";

export const bench: Command = {
  name: "bench",
  summary: "Measure speed and size: npm run bench -- NAME prints figures (--json: one JSON object).",
  usage: `NAME [--json]    (NAME: ${benches.map((entry) => entry.name).join(", ")})`,
  options: Object.assign({ json: { type: "boolean" } }, ...benches.map((entry) => entry.options ?? {})),
  async run({ positionals, values, terminal }) {
    const [name, ...extra] = positionals;
    const names = benches.map((entry) => entry.name).join(", ");
    const chosen = benches.find((entry) => entry.name === name);
    if (!name || extra.length > 0) throw new UserError(`Name one bench to run: npm run bench -- NAME [--json]. Benches: ${names}.`);
    if (!chosen) throw new UserError(`Unknown bench "${name}". Benches: ${names}.`);
    const report = await chosen.run({ terminal, values });
    terminal.clearProgress();
    if (values.json) terminal.out(JSON.stringify(report.figures));
    else for (const line of report.lines) terminal.out(line);
    return 0;
  },
};
