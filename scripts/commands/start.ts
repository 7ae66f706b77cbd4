import { join } from "node:path";
import { serveStatic } from "../demo/serve.ts";
import { demoWorld, printReport } from "./demo.ts";
import type { Command } from "./command.ts";

export const start: Command = {
  name: "start",
  summary: "The demo, then both sites served on 127.0.0.1 until you press Ctrl-C.",
  usage: "[--days N] [--port N]",
  options: { days: { type: "string" }, port: { type: "string" } },
  async run(context) {
    const { terminal, values } = context;
    const report = await demoWorld(context);
    printReport(terminal, report);
    const port = values.port === undefined ? 4321 : Number(values.port);
    const serve = async (dir: string, preferred: number) => serveStatic(dir, "/", preferred).catch(() => serveStatic(dir, "/", 0));
    const publicSite = await serve(join(report.out, "public"), port);
    const room = await serve(join(report.out, "internal"), port + 1);
    terminal.out("");
    terminal.out(`  Public status page   ${terminal.paint.cyan(publicSite.url)}`);
    terminal.out(`  Operations room      ${terminal.paint.cyan(room.url)}`);
    terminal.out("");
    terminal.out(terminal.paint.dim("Press Ctrl-C to stop."));
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await Promise.all([publicSite.close(), room.close()]);
    return 0;
  },
};
