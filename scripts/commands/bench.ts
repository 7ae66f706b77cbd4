import { benchmarks } from "../bench/registry.ts";
import { UserError, type Command } from "./command.ts";

export const bench: Command = {
  name: "bench",
  summary: "Measure speed and size on synthetic data: npm run bench -- <name> [--json].",
  usage: `<${benchmarks.map((benchmark) => benchmark.name).join("|")}> [--json]`,
  options: { json: { type: "boolean" } },
  async run({ repo, positionals, values, terminal, env }) {
    const [name] = positionals;
    const benchmark = benchmarks.find((candidate) => candidate.name === name);
    if (!benchmark) throw new UserError(`Name a benchmark: ${benchmarks.map((candidate) => `${candidate.name} (${candidate.summary})`).join("; ")}.`);
    const figures = await benchmark.run({ repo, terminal, env });
    if (values.json) {
      terminal.out(JSON.stringify(Object.fromEntries(figures.map((figure) => [figure.name, Number(figure.value.toFixed(3))])), null, 2));
      return 0;
    }
    const width = Math.max(...figures.map((figure) => figure.name.length));
    terminal.out(terminal.paint.bold(`bench ${benchmark.name}`));
    for (const figure of figures) {
      terminal.out(`  ${figure.name.padEnd(width)}  ${figure.value.toFixed(2).padStart(9)} ${figure.unit.padEnd(3)}${figure.target ? terminal.paint.dim(`  target ${figure.target}`) : ""}`);
    }
    return 0;
  },
};
