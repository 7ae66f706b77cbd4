/** The public site's only data source: the status model (scripts/core/public-view.ts), never the workspace. */
import { logoFileName } from "../../scripts/core/logo.ts";
import { buildStatusModel, isPublicProvider, type StatusModel } from "../../scripts/core/public-view.ts";
import { readRollupSets, readWorkspaceFile, siteBase } from "../shared/load.ts";

async function load(): Promise<StatusModel> {
  const { workspace, state, now } = await siteBase();
  const checks = workspace.providers.filter(isPublicProvider).flatMap((provider) => provider.checks.filter((check) => check.enabled).map((check) => check.id));
  const rollups = await readRollupSets(checks);
  const logo = (await logoImage())?.name;
  return buildStatusModel({ config: workspace.config, providers: workspace.providers, incidents: workspace.incidents, state, rollups, now, ...(logo ? { logo } : {}) });
}

let model: Promise<StatusModel> | undefined;

/** Built once per build and shared by every page, feed, API file, badge and image. */
export function statusModel(): Promise<StatusModel> {
  model ??= load();
  return model;
}

/** The logo named by page.logo, as the site serves it (logo.svg, logo.png…); undefined without one. */
export async function logoImage(): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  const { workspace } = await siteBase();
  const path = workspace.config.page.logo;
  if (!path) return undefined;
  const bytes = await readWorkspaceFile(path);
  return bytes ? { name: logoFileName(path), bytes } : undefined;
}
