import { join } from "node:path";
import { z } from "zod";
import { id } from "../core/schema/common.ts";
import { rollup, type Rollup } from "../core/schema/records.ts";
import { readTextIfExists, writeFileAtomic } from "./files.ts";

export const ROLLUPS_DIR = "checks/rollups";

const rollupFile = z.strictObject({ check: id, hourly: z.array(rollup).default([]), daily: z.array(rollup).default([]) });
export type CheckRollups = z.infer<typeof rollupFile>;

const fileOf = (root: string, check: string) => join(root, ROLLUPS_DIR, `${check}.json`);

/** Hourly and daily rollups of one check, oldest first; empty when the check has none yet. */
export async function readRollups(root: string, check: string): Promise<CheckRollups> {
  const text = await readTextIfExists(fileOf(root, check));
  if (text === undefined) return { check, hourly: [], daily: [] };
  const parsed = rollupFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${ROLLUPS_DIR}/${check}.json is not a valid rollup file; rebuild it from samples`);
  return parsed.data;
}

/** One entry per line, so an update is a small diff and delta-compresses well in git. */
export async function writeRollups(root: string, rollups: CheckRollups): Promise<void> {
  const lines = (list: Rollup[]) => list.map((entry) => `  ${JSON.stringify(entry)}`).join(",\n");
  const text = `{"check":${JSON.stringify(rollups.check)},\n"hourly":[\n${lines(rollups.hourly)}\n],\n"daily":[\n${lines(rollups.daily)}\n]}\n`;
  await writeFileAtomic(fileOf(root, rollups.check), text);
}
