/**
 * The one place the sites read the workspace. The build command passes the workspace folder and the
 * build time through the environment (SIGNALROOM_ROOT, SIGNALROOM_NOW); everything is read once per build.
 */
import type { RollupSet } from "../../scripts/core/public-history.ts";
import { formatProblem } from "../../scripts/core/problems.ts";
import { join } from "node:path";
import { readBytesIfExists } from "../../scripts/store/files.ts";
import { readRollups } from "../../scripts/store/rollups.ts";
import { readSamples } from "../../scripts/store/samples.ts";
import { readState } from "../../scripts/store/state.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";

export function buildTime(): Date {
  return process.env.SIGNALROOM_NOW ? new Date(process.env.SIGNALROOM_NOW) : new Date();
}

const workspaceRoot = () => process.env.SIGNALROOM_ROOT ?? process.cwd();

async function loadBase() {
  const root = workspaceRoot();
  const now = buildTime();
  const { workspace, problems } = await loadWorkspace(root);
  if (!workspace) throw new Error(`The workspace ${root} is not valid:\n${problems.map(formatProblem).join("\n")}`);
  const state = await readState(root, now);
  return { workspace, state, now };
}

async function load() {
  const base = await siteBase();
  const { window } = base.workspace.config.signals;
  const { samples } = await readSamples(workspaceRoot(), new Date(base.now.getTime() - window), new Date(base.now.getTime() + 1));
  return { ...base, samples };
}

let base: ReturnType<typeof loadBase> | undefined;
let loaded: ReturnType<typeof load> | undefined;

/** The workspace and live state, without samples (the public site needs rollups only). */
export function siteBase(): ReturnType<typeof loadBase> {
  base ??= loadBase();
  return base;
}

export function siteData(): ReturnType<typeof load> {
  loaded ??= load();
  return loaded;
}

/** Hourly and daily rollups of the given checks, by check id. */
export async function readRollupSets(checks: readonly string[]): Promise<Map<string, RollupSet>> {
  const root = workspaceRoot();
  const sets = await Promise.all(checks.map(async (check) => [check, await readRollups(root, check)] as const));
  return new Map(sets);
}

/** A file of the workspace (e.g. the logo), or undefined when it does not exist. */
export function readWorkspaceFile(path: string): Promise<Uint8Array | undefined> {
  return readBytesIfExists(join(workspaceRoot(), path));
}
