import { probeFreshness } from "../core/freshness.ts";
import { setOutputs } from "../gitops/actions.ts";
import { git } from "../gitops/git.ts";
import { fetchPending } from "../gitops/pending.ts";
import { readState } from "../store/state.ts";
import type { Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

export const watchdog: Command = {
  name: "watchdog",
  summary: "Say whether probe runs are still landing (main and the pending ref); sets Actions outputs `stale` and `message`.",
  usage: "[--remote NAME]",
  options: { remote: { type: "string" } },
  async run({ root, values, terminal, env, clock }) {
    const workspace = await validWorkspace(root, terminal, "the watchdog cannot tell whether runs are landing", { stored: true });
    const now = clock.now();
    const state = await readState(root, now);
    const remote = typeof values.remote === "string" ? values.remote : "origin";
    const remotes = (await git(root, ["remote"]).catch(() => "")).split("\n");
    const pending = remotes.includes(remote) ? await fetchPending(root, remote) : { runs: [] };
    // A run kept on the pending ref because its push to main failed (urgent) has not landed: main, and the
    // page built from it, miss its state changes.
    const waiting = pending.runs.filter((run) => !run.urgent).map((run) => run.at);
    const freshness = probeFreshness([state.lastRun?.at, ...waiting], workspace.config.defaults.cadence, workspace.config.page.stale, now);
    terminal.out(freshness.stale ? terminal.paint.red(`✗ ${freshness.message}`) : terminal.paint.green(`✓ ${freshness.message}`));
    await setOutputs(env, { stale: String(freshness.stale), message: freshness.message });
    return 0;
  },
};
