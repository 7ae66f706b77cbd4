/**
 * What one job of a split probe job hands to the merge step (docs/github.md, "Sharded probing"): one JSON
 * file per job, `<region>.shard-<i>of<n>.json`, with the samples it took and its run log. A shard job writes
 * nothing else; the merge step appends each shard's samples to that shard's own results file and records
 * state, alerts and incidents once for all of them.
 */
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { z } from "zod";
import { describeIssues, type Problem } from "../core/problems.ts";
import { id, instant } from "../core/schema/common.ts";
import { logEntry, sample } from "../core/schema/records.ts";
import { readTextIfExists, writeFileAtomic } from "./files.ts";
import { writerOf } from "./samples.ts";
import { parseYaml } from "./yaml.ts";

export const shardFile = z.strictObject({
  version: z.literal(1),
  run: z.string().min(1).describe("Run id of the shard job."),
  region: z.string().min(1).describe("Region the shard job probed from."),
  shard: z
    .strictObject({ index: z.number().int().min(1), count: z.number().int().min(1) })
    .refine((shard) => shard.index <= shard.count, "index must not be greater than count")
    .optional()
    .describe("Which part of the checks the job probed; absent when the job probed a whole region."),
  startedAt: instant,
  due: z.array(id).describe("Checks that were due."),
  samples: z.array(sample),
  log: z.array(logEntry),
});
export type ShardFile = z.infer<typeof shardFile>;

const label = (shard: ShardFile["shard"]) => (shard ? `shard-${shard.index}of${shard.count}` : undefined);

/** `eu-west.shard-2of4.json`: one name per region and shard, so artifacts of one matrix never collide. */
export function shardFileName(file: Pick<ShardFile, "region" | "shard">): string {
  return `${writerOf(file.region, label(file.shard))}.json`;
}

/** Writes a shard job's findings into `dir`; returns the file written. */
export async function writeShardFile(dir: string, file: ShardFile): Promise<string> {
  const path = join(dir, shardFileName(file));
  await writeFileAtomic(path, `${JSON.stringify(shardFile.parse(file), null, 1)}\n`);
  return path;
}

/**
 * Every shard file under `dir`, at any depth (the artifact download puts each in its own folder). A file
 * that does not fit is an error naming its line and field; the caller records nothing then. Files are
 * named in messages as `shown` (the folder as the user wrote it) plus their path inside it.
 */
export async function readShardFiles(dir: string, shown = dir): Promise<{ shards: (ShardFile & { file: string })[]; problems: Problem[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const shards: (ShardFile & { file: string })[] = [];
  const problems: Problem[] = [];
  for (const path of files) {
    const file = join(shown, relative(dir, path)).split(sep).join("/");
    const parsed = parseYaml((await readTextIfExists(path)) ?? "", file);
    if (parsed.problems.length > 0) {
      problems.push(...parsed.problems);
      continue;
    }
    const result = shardFile.safeParse(parsed.data);
    if (result.success) {
      shards.push({ ...result.data, file });
      continue;
    }
    for (const issue of describeIssues(result.error.issues, parsed.data, shardFile)) {
      problems.push({ severity: "error", file, ...parsed.locate(issue.path, issue.atKey), path: issue.path, message: issue.message });
    }
  }
  return { shards, problems };
}
