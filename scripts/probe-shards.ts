/**
 * Sharded probing (docs/github.md, "Sharded probing"). A shard job only probes: its part of the checks, in
 * its region, written to one shard file (`--out DIR`). One merge step (`--merge DIR`) records every shard's
 * findings at once: each shard's samples and log into that shard's own files (so nothing conflicts), then
 * the check states with quorum across regions, the alert rules, incidents and notifications, once.
 */
import { probeDue, type CycleOptions, type Probed } from "./engine.ts";
import { withPendingApplied } from "./gitops/pending.ts";
import { readSamples } from "./store/samples.ts";
import { writeShardFile, type ShardFile } from "./store/shards.ts";

/** Probes this job's part of the checks (due by the newest state: main and the pending ref) and writes the shard file. */
export async function probeShard(options: CycleOptions, out: string, remote = "origin"): Promise<{ file: string; probed: Probed }> {
  const probed = await withPendingApplied(options.root, remote, () => probeDue(options));
  const file = await writeShardFile(out, {
    version: 1,
    run: probed.runId,
    region: probed.region,
    shard: probed.shard,
    startedAt: probed.startedAt,
    due: probed.due,
    samples: probed.samples,
    log: probed.log,
  });
  return { file, probed };
}

export function probedOf(shard: ShardFile): Probed {
  return { runId: shard.run, region: shard.region, shard: shard.shard, startedAt: shard.startedAt, due: shard.due, samples: shard.samples, log: shard.log };
}

export interface Coverage {
  /** `eu-west shard 3 of 4`: a job of the matrix that left no file (it failed or timed out). */
  missing: string[];
  /** Two files for one region and shard, or shard counts that disagree: the merge refuses them. */
  conflicts: string[];
}

const shardName = (region: string, shard: ShardFile["shard"]) => (shard ? `${region} shard ${shard.index} of ${shard.count}` : `${region} (all checks)`);

/** Which jobs of the matrix are missing, and which files cannot be merged together. */
export function shardCoverage(shards: readonly Pick<ShardFile & { file: string }, "region" | "shard" | "file">[]): Coverage {
  const coverage: Coverage = { missing: [], conflicts: [] };
  const seen = new Map<string, string>();
  for (const entry of shards) {
    const name = shardName(entry.region, entry.shard);
    const earlier = seen.get(name);
    if (earlier) coverage.conflicts.push(`${name} is in two files: ${earlier} and ${entry.file}`);
    seen.set(name, entry.file);
  }
  for (const [region, group] of Map.groupBy(shards, (entry) => entry.region)) {
    const counts = [...new Set(group.map((entry) => entry.shard?.count ?? 1))];
    if (counts.length > 1) {
      coverage.conflicts.push(`${region} was split in different ways (${counts.map((count) => `${count} shards`).join(", ")})`);
      continue;
    }
    const count = counts[0]!;
    if (group.some((entry) => !entry.shard)) continue;
    for (let index = 1; index <= count; index++) {
      if (!group.some((entry) => entry.shard?.index === index)) coverage.missing.push(shardName(region, { index, count }));
    }
  }
  return coverage;
}

const sampleKey = (sample: Probed["samples"][number]) => `${sample.run}\u0000${sample.region}\u0000${sample.check}\u0000${sample.at}`;

/**
 * The shards' findings minus what the tree already holds: a merge job run again (or a shard file given
 * twice over time) records each sample once, and a shard recorded before brings no second copy of its log.
 */
export async function unrecorded(root: string, parts: readonly Probed[]): Promise<Probed[]> {
  const times = parts.flatMap((part) => part.samples.map((sample) => Date.parse(sample.at)));
  if (times.length === 0) return [...parts];
  const { samples } = await readSamples(root, new Date(Math.min(...times)), new Date(Math.max(...times) + 1));
  const recorded = new Set(samples.map(sampleKey));
  return parts.map((part) => {
    const fresh = part.samples.filter((sample) => !recorded.has(sampleKey(sample)));
    return fresh.length === part.samples.length ? part : { ...part, samples: fresh, log: fresh.length === 0 ? [] : part.log };
  });
}
