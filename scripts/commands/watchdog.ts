import { probeFreshness } from "../core/freshness.ts";
import { dispatcherOf, startWorkflow } from "../follow-up.ts";
import { setOutputs } from "../gitops/actions.ts";
import { git } from "../gitops/git.ts";
import { githubFromEnv } from "../gitops/github.ts";
import { fetchPending } from "../gitops/pending.ts";
import { reportFreshness } from "../gitops/watchdog-issue.ts";
import { readState } from "../store/state.ts";
import { UserError, type Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

export const watchdog: Command = {
  name: "watchdog",
  summary: "Say whether probe runs are still landing (main and the pending ref); with --issue, open, update or close the watchdog issue.",
  usage: [
    "[--remote NAME] [--issue [--dispatch WORKFLOW]]",
    "",
    "  --issue              open the `signalroom-watchdog` issue when runs stopped landing (comment on it while they",
    "                       stay stale), close it once they land again; needs GITHUB_TOKEN and GITHUB_REPOSITORY",
    "  --dispatch WORKFLOW  with --issue, start this workflow (site.yml) when the issue is opened, so the page says the data is stale",
    "Sets the Actions step outputs `stale` and `message`.",
  ].join("\n"),
  options: { remote: { type: "string" }, issue: { type: "boolean" }, dispatch: { type: "string" } },
  async run({ root, values, terminal, env, clock }) {
    if (values.dispatch !== undefined && !values.issue) throw new UserError("--dispatch starts a workflow when the watchdog opens its issue, so it needs --issue.");
    const github = values.issue ? githubFromEnv(env) : undefined;
    if (github && "missing" in github) throw new UserError(`--issue needs ${github.missing.join(" and ")} in the environment.`);
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
    if (!github) return 0;
    let outcome;
    try {
      outcome = await reportFreshness(github, freshness, now);
    } catch (error) {
      throw new UserError(`Could not update the watchdog issue in ${github.repository}: ${(error as Error).message}`);
    }
    const issues = outcome.issues.map((number) => `#${number}`).join(", ");
    if (outcome.action !== "none") terminal.out(`Watchdog issue ${issues} ${outcome.action}.`);
    if (outcome.action === "opened" && typeof values.dispatch === "string") {
      const site = dispatcherOf(terminal, values.dispatch, env);
      if (site) await startWorkflow(terminal, site);
    }
    return 0;
  },
};
