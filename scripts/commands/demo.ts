import { join } from "node:path";
import { runDemo, type DemoReport } from "../demo/run.ts";
import type { Terminal } from "../terminal.ts";
import { UserError, type Command, type CommandContext } from "./command.ts";

/** Runs the demo into .demo/ and dist/ of the repository, whatever --root says: it never touches a real workspace. */
export async function demoWorld({ repo, terminal, clock, values }: CommandContext): Promise<DemoReport> {
  const days = values.days === undefined ? 90 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 400) throw new UserError(`--days must be a whole number of days from 1 to 400, not "${String(values.days)}".`);
  return runDemo({ repo, root: join(repo, ".demo"), out: join(repo, "dist"), terminal, now: clock.now(), days, liveMinutes: 5 });
}

export function printReport(terminal: Terminal, report: DemoReport): void {
  const { paint } = terminal;
  terminal.out(`${paint.green("✓")} Demo world: ${report.workspace.providers.length} providers, ${report.ticks.toLocaleString("en")} simulated probe runs, ${report.liveRuns} real ones, ${report.incidents} incidents, ${report.delivered} notifications delivered to the world's sinks (${report.seconds.toFixed(1)} s).`);
  terminal.out(`  workspace       ${report.root}`);
  terminal.out(`  public site     ${join(report.out, "public")}`);
  terminal.out(`  operations room ${join(report.out, "internal")}`);
}

export const demo: Command = {
  name: "demo",
  summary: "Simulated providers on 127.0.0.1, 90 days of history from the real engine, both sites built into dist/.",
  usage: "[--days N]",
  options: { days: { type: "string" } },
  async run(context) {
    printReport(context.terminal, await demoWorld(context));
    context.terminal.out(`Serve them with ${context.terminal.paint.bold("npm start")}, or open the folders above.`);
    return 0;
  },
};
