/** The public site's only data source: the status model (scripts/core/public-view.ts), never the workspace. */
import { buildStatusModel, isPublicProvider, type StatusModel } from "../../scripts/core/public-view.ts";
import { readRollupSets, siteBase } from "../shared/load.ts";

async function load(): Promise<StatusModel> {
  const { workspace, state, now } = await siteBase();
  const checks = workspace.providers.filter(isPublicProvider).flatMap((provider) => provider.checks.filter((check) => check.enabled).map((check) => check.id));
  const rollups = await readRollupSets(checks);
  return buildStatusModel({ config: workspace.config, providers: workspace.providers, incidents: workspace.incidents, state, rollups, now });
}

let model: Promise<StatusModel> | undefined;

/** Built once per build and shared by every page, feed, API file, badge and image. */
export function statusModel(): Promise<StatusModel> {
  model ??= load();
  return model;
}
