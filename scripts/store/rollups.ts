/**
 * Rollups per check in checks/rollups/<check>.json (docs/storage.md): hourly and daily aggregates, one
 * entry per line, so a run that updates the newest buckets changes the last lines only.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { bucketStart, mergeRollups, rollupSamples } from "../core/rollup.ts";
import { id } from "../core/schema/common.ts";
import { rollup, type Rollup, type Sample } from "../core/schema/records.ts";
import type { Problem } from "../core/problems.ts";
import { readTextIfExists, writeFileAtomic } from "./files.ts";
import { readSamples } from "./samples.ts";

export const ROLLUPS_DIR = "checks/rollups";

const rollupFile = z.strictObject({ check: id, hourly: z.array(rollup).default([]), daily: z.array(rollup).default([]) });
export type CheckRollups = z.infer<typeof rollupFile>;

const fileOf = (root: string, check: string) => join(root, ROLLUPS_DIR, `${check}.json`);
const DAY = 86_400_000;

/** Hourly and daily rollups of one check, oldest first; empty when the check has none yet. */
export async function readRollups(root: string, check: string): Promise<CheckRollups> {
  return (await loadRollups(root, check)).rollups;
}

/**
 * Like readRollups, and tolerant: in a file that is not valid JSON as a whole (a hand edit gone wrong, a
 * merge conflict), every entry line that still reads is kept and every other is reported by line.
 */
export async function loadRollups(root: string, check: string): Promise<{ rollups: CheckRollups; warnings: Problem[] }> {
  const file = `${ROLLUPS_DIR}/${check}.json`;
  const text = await readTextIfExists(join(root, file));
  const rollups: CheckRollups = { check, hourly: [], daily: [] };
  if (text === undefined) return { rollups, warnings: [] };
  try {
    const parsed = rollupFile.safeParse(JSON.parse(text));
    if (parsed.success && parsed.data.check === check) return { rollups: parsed.data, warnings: [] };
  } catch {
    // Read line by line below.
  }
  const warnings: Problem[] = [];
  let list: Rollup[] | undefined;
  text.split("\n").forEach((line, index) => {
    const trimmed = line.trim().replace(/,$/, "");
    if (trimmed.startsWith('"hourly"')) list = rollups.hourly;
    else if (trimmed.startsWith('"daily"')) list = rollups.daily;
    else if (trimmed.startsWith("{") && list) {
      let entry;
      try {
        entry = rollup.safeParse(JSON.parse(trimmed));
      } catch {
        entry = undefined;
      }
      if (entry?.success) list.push(entry.data);
      else warnings.push({ severity: "warning", file, line: index + 1, col: 1, path: [], message: "unreadable rollup entry skipped" });
    }
  });
  if (warnings.length === 0) warnings.push({ severity: "warning", file, line: 1, col: 1, path: [], message: "not a valid rollup file; kept the entries that could be read" });
  return { rollups, warnings };
}

/** One entry per line, so an update is a small diff and delta-compresses well in git. */
export async function writeRollups(root: string, rollups: CheckRollups): Promise<void> {
  const lines = (list: Rollup[]) => list.map((entry) => `  ${JSON.stringify(entry)}`).join(",\n");
  const text = `{"check":${JSON.stringify(rollups.check)},\n"hourly":[\n${lines(rollups.hourly)}\n],\n"daily":[\n${lines(rollups.daily)}\n]}\n`;
  await writeFileAtomic(fileOf(root, rollups.check), text);
}

export interface RollupRetention {
  hourly: number;
  daily: number;
}

/** Start of the first and end of the last UTC day the samples fall in: what updateRollups needs to read. */
export function daysOf(samples: readonly Sample[]): { from: Date; to: Date } {
  const times = samples.map((sample) => Date.parse(bucketStart(sample.at, "day")));
  return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + DAY) };
}

/**
 * Recomputes the hourly and daily buckets that `fresh` samples fall in, from every retained sample of
 * those buckets (all regions and shards), so the result does not depend on how runs were batched.
 * `retained` saves reading the files again when the caller has already read those days.
 */
export async function updateRollups(
  root: string,
  cadences: ReadonlyMap<string, number>,
  fresh: readonly Sample[],
  retention: RollupRetention,
  now: Date,
  retained?: readonly Sample[],
): Promise<{ written: string[]; warnings: Problem[] }> {
  const touched = fresh.filter((sample) => cadences.has(sample.check));
  if (touched.length === 0) return { written: [], warnings: [] };
  const { from, to } = daysOf(touched);
  const read = retained ? { samples: retained, warnings: [] } : await readSamples(root, from, to);
  const warnings = [...read.warnings];
  const inDays = read.samples.filter((sample) => Date.parse(sample.at) >= from.getTime() && Date.parse(sample.at) < to.getTime());
  const byCheck = Map.groupBy(inDays, (sample) => sample.check);
  const written: string[] = [];
  for (const check of [...new Set(touched.map((sample) => sample.check))].sort()) {
    const mine = touched.filter((sample) => sample.check === check);
    const hours = new Set(mine.map((sample) => bucketStart(sample.at, "hour")));
    const days = new Set(mine.map((sample) => bucketStart(sample.at, "day")));
    const all = byCheck.get(check) ?? [];
    const cadence = cadences.get(check)!;
    const { rollups: current, warnings: broken } = await loadRollups(root, check);
    warnings.push(...broken);
    await writeRollups(root, {
      check,
      hourly: mergeRollups(current.hourly, rollupSamples(all.filter((sample) => hours.has(bucketStart(sample.at, "hour"))), "hour", cadence), new Date(now.getTime() - retention.hourly)),
      daily: mergeRollups(current.daily, rollupSamples(all.filter((sample) => days.has(bucketStart(sample.at, "day"))), "day", cadence), new Date(now.getTime() - retention.daily)),
    });
    written.push(`${ROLLUPS_DIR}/${check}.json`);
  }
  return { written, warnings };
}

/** Drops buckets past retention from every rollup file; rewrites only files that change. */
export async function pruneRollups(root: string, retention: RollupRetention, now: Date): Promise<{ written: string[] }> {
  let names: string[];
  try {
    names = await readdir(join(root, ROLLUPS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { written: [] };
    throw error;
  }
  const written: string[] = [];
  for (const name of names.filter((entry) => entry.endsWith(".json")).sort()) {
    const { rollups: current } = await loadRollups(root, name.slice(0, -".json".length));
    const hourly = mergeRollups(current.hourly, [], new Date(now.getTime() - retention.hourly));
    const daily = mergeRollups(current.daily, [], new Date(now.getTime() - retention.daily));
    if (hourly.length === current.hourly.length && daily.length === current.daily.length) continue;
    await writeRollups(root, { check: current.check, hourly, daily });
    written.push(`${ROLLUPS_DIR}/${name}`);
  }
  return { written };
}
