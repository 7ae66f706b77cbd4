/**
 * The room's one data source: the workspace, live state, 7 days of raw samples, every check's rollups
 * and the retained run log, read once per build through the store functions. Pages turn this into
 * their view models (./model/*) and only display those.
 */
import { allChecks } from "../../scripts/core/model.ts";
import { readLog } from "../../scripts/store/runlog.ts";
import { readRollups } from "../../scripts/store/rollups.ts";
import { readSamples } from "../../scripts/store/samples.ts";
import { siteBase } from "../shared/load.ts";
import type { Href, RoomData } from "./model/input.ts";
import { DAY } from "./model/stats.ts";

async function load(): Promise<RoomData> {
  const { workspace, state, now } = await siteBase();
  const root = workspace.root;
  const end = new Date(now.getTime() + 1);
  const sampleWindow = Math.max(7 * DAY, workspace.config.signals.window);
  const [{ samples }, { entries }, rollups] = await Promise.all([
    readSamples(root, new Date(now.getTime() - sampleWindow), end),
    readLog(root, new Date(now.getTime() - workspace.config.retention.runLog), end),
    Promise.all(allChecks(workspace).map(async (check) => [check.id, await readRollups(root, check.id)] as const)),
  ]);
  return { model: workspace, state, samples, rollups: Object.fromEntries(rollups), log: entries, now };
}

let loaded: Promise<RoomData> | undefined;

export function roomData(): Promise<RoomData> {
  loaded ??= load();
  return loaded;
}

/** Links inside the room, under the site's base path. */
export const href: Href = (path) => `${import.meta.env.BASE_URL.replace(/\/$/, "")}/${path}`;
