import { existsSync } from "node:fs";
import { join } from "node:path";
import { detectionTimes } from "../bench/detection.ts";
import { percentileOf } from "../bench/random.ts";
import { allChecks } from "../core/model.ts";
import { planTopology, type Detect } from "../core/plan.ts";
import { setOutputs } from "../gitops/actions.ts";
import { planText } from "../plan-report.ts";
import { readWorkflows } from "../store/workflows.ts";
import type { Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

/** Simulated outages per detection figure: enough for a steady median, quick enough for a command. */
const OUTAGES = 200;

const detect: Detect = (scenario) => {
  const times = detectionTimes(scenario, OUTAGES, 1);
  return { p50: percentileOf(times, 50), p95: percentileOf(times, 95) };
};

export const plan: Command = {
  name: "plan",
  summary: "Explain the topology: what is public, each workflow's runs, Actions minutes a month, commits and site builds a day, detection delay.",
  usage: [
    "[--json | --outputs]",
    "",
    "  --json      print one JSON object (topology, actions_minutes_per_month, commits_per_day, site_builds_per_day,",
    "              detection_p50_s, public_paths, workflows, warnings, assumptions)",
    "  --outputs   in GitHub Actions, set the step outputs site.yml reads: repository, site, site_repository, site_branch",
  ].join("\n"),
  options: { json: { type: "boolean" }, outputs: { type: "boolean" } },
  async run({ root, repo, values, terminal, env }) {
    const workspace = await validWorkspace(root, terminal, "nothing was planned");
    const deploy = workspace.config.deploy;
    if (values.outputs) {
      const site = deploy.site;
      await setOutputs(env, {
        repository: deploy.repository,
        site: site.to,
        site_repository: site.to === "repository" ? site.repository : "",
        site_branch: site.to === "repository" ? site.branch : "",
      });
      terminal.out(`${deploy.repository} repository; public site: ${site.to === "repository" ? `${site.repository} (${site.branch})` : site.to}.`);
      return 0;
    }
    // The workflows of the repository the workspace lives in; a bare workspace is explained with this repository's.
    const workflows = await readWorkflows(existsSync(join(root, ".github/workflows")) ? root : repo);
    const heartbeatWindows = allChecks(workspace).flatMap((check) => (check.type === "heartbeat" ? [(check as { window?: number }).window ?? check.cadence] : []));
    const result = planTopology({ config: workspace.config, heartbeatWindows, workflows, repository: env.GITHUB_REPOSITORY }, detect);
    if (values.json) terminal.out(JSON.stringify(result, null, 2));
    else for (const line of planText(result, terminal.paint)) terminal.out(line);
    return 0;
  },
};
