import { inspectStoredData } from "../store/inspect.ts";
import { reportProblems } from "../terminal.ts";
import { loadWorkspace } from "../workspace.ts";
import type { Command } from "./command.ts";

export const validate: Command = {
  name: "validate",
  summary: "Check every configuration and incident file, and what probe runs stored; writes nothing.",
  usage: "[--root DIR]",
  options: {},
  async run({ root, terminal }) {
    const loaded = await loadWorkspace(root);
    const { counts } = loaded;
    const problems = [...loaded.problems, ...(await inspectStoredData(root, { lines: true }))];
    reportProblems(terminal, problems);
    const errors = problems.filter((problem) => problem.severity === "error").length;
    const warnings = problems.length - errors;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    if (errors > 0) {
      terminal.err(terminal.paint.red(`✗ ${plural(errors, "error")}${warnings ? ` and ${plural(warnings, "warning")}` : ""}; nothing was written.`));
      await terminal.summary(`### Validation failed\n\n${plural(errors, "error")}, ${plural(warnings, "warning")}: see the annotations.`);
      return 1;
    }
    const what = `${plural(counts.providers, "provider")}, ${plural(counts.checks, "check")}, ${plural(counts.rules, "alert rule")} and ${plural(counts.incidents, "incident")}`;
    terminal.out(`${terminal.paint.green("✓")} ${what} are valid${warnings ? ` (${plural(warnings, "warning")})` : ""}.`);
    return 0;
  },
};
