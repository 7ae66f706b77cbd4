/**
 * Raw samples in checks/results/ (docs/storage.md): one NDJSON file per UTC day and writer (region, plus
 * shard when the probe job is split), one line per probe run. A line holds the run's id, region and start
 * time once, and its samples sorted by check with the time as an offset from the start; the fields that
 * rarely change come first and the ones that always do (latency, offset) last. Consecutive lines then
 * repeat long stretches of the one before, which is what git's delta compression and zlib pack best.
 */
import { join } from "node:path";
import { z } from "zod";
import type { Problem } from "../core/problems.ts";
import { instant } from "../core/schema/common.ts";
import { sample as sampleSchema, type Sample } from "../core/schema/records.ts";
import { appendLines, dayFilePath, listDayFiles, parseLine, pruneDayFiles, readLines } from "./ndjson.ts";

export const RESULTS_DIR = "checks/results";

const storedSample = sampleSchema.omit({ at: true, region: true, run: true }).extend({
  offsetS: z.number().int().nonnegative().optional().describe("Seconds after the line's `at`; left out when 0."),
});

/** One line of a results file: the samples one run wrote into one file. */
export const resultsLine = z.strictObject({
  run: z.string(),
  region: z.string(),
  at: instant,
  samples: z.array(storedSample),
});
export type ResultsLine = z.infer<typeof resultsLine>;

const dayOf = (at: string) => new Date(at).toISOString().slice(0, 10);

/** The writer label of a results file: the region, and the shard when the probe job is split. */
export function writerOf(region: string, shard?: string): string {
  return shard ? `${region}.${shard}` : region;
}

/**
 * Sample times are kept to the second: finer start times say nothing a monitor needs, and the
 * milliseconds would be the least compressible part of every sample. The engine applies this before it
 * uses samples, so state, rollups and files agree.
 */
export function toSecond(sample: Sample): Sample {
  const at = Date.parse(sample.at);
  return at % 1_000 === 0 ? sample : { ...sample, at: new Date(at - (at % 1_000)).toISOString() };
}

/** Stable fields first, changing ones last (see the module comment); optional fields only when present. */
function toStored(sample: Sample, start: number) {
  const { at, region: _region, run: _run, check, state, status, error, conditions, metrics, certDaysLeft, latencyMs } = sample;
  const offset = Math.floor((Date.parse(at) - start) / 1_000);
  const entry = { check, state, status, error, conditions, certDaysLeft, metrics, latencyMs, offsetS: offset || undefined };
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/** Lines for a batch of samples, one per run, keyed by `day NUL region` (the file they belong in). */
export function toResultsLines(samples: readonly Sample[]): Map<string, string[]> {
  const runs = Map.groupBy(samples, (sample) => [dayOf(sample.at), sample.region, sample.run].join("\u0000"));
  const files = new Map<string, string[]>();
  for (const [key, group] of runs) {
    const file = key.slice(0, key.lastIndexOf("\u0000"));
    const first = Math.min(...group.map((sample) => Date.parse(sample.at)));
    const start = first - (first % 1_000);
    const ordered = [...group].sort((a, b) => a.check.localeCompare(b.check) || Date.parse(a.at) - Date.parse(b.at));
    const line = { run: group[0]!.run, region: group[0]!.region, at: new Date(start).toISOString(), samples: ordered.map((sample) => toStored(sample, start)) };
    files.set(file, [...(files.get(file) ?? []), JSON.stringify(line)]);
  }
  return files;
}

/** Appends samples to the files of their day and region (and `shard`); one line per run. */
export async function appendSamples(root: string, samples: readonly Sample[], shard?: string): Promise<string[]> {
  const written: string[] = [];
  for (const [key, lines] of toResultsLines(samples)) {
    const [day, region] = key.split("\u0000") as [string, string];
    const file = dayFilePath(RESULTS_DIR, writerOf(region, shard), day);
    await appendLines(join(root, file), lines);
    written.push(file);
  }
  return written;
}

/** The samples of one results line. */
export function fromResultsLine(value: unknown): Sample[] {
  const line = parseLine(resultsLine, value);
  const start = Date.parse(line.at);
  return line.samples.map(({ offsetS, ...rest }) => ({
    at: new Date(start + (offsetS ?? 0) * 1_000).toISOString(),
    region: line.region,
    run: line.run,
    ...rest,
  }));
}

export interface SampleRead {
  samples: Sample[];
  /** Lines that could not be read (a truncated write, say): skipped, never fatal. */
  warnings: Problem[];
}

/** Samples with `from <= at < to` from every region and shard, oldest first. */
export async function readSamples(root: string, from: Date, to: Date): Promise<SampleRead> {
  const samples: Sample[] = [];
  const warnings: Problem[] = [];
  const files = await listDayFiles(root, RESULTS_DIR, dayOf(from.toISOString()), dayOf(to.toISOString()));
  for (const { file } of files) {
    const read = await readLines(root, file, fromResultsLine, "results line");
    warnings.push(...read.warnings);
    for (const sample of read.items) {
      const at = Date.parse(sample.at);
      if (at >= from.getTime() && at < to.getTime()) samples.push(sample);
    }
  }
  samples.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.check.localeCompare(b.check));
  return { samples, warnings };
}

/** Removes results files of days that ended before `keepFrom`. */
export function pruneSamples(root: string, keepFrom: Date): Promise<string[]> {
  return pruneDayFiles(root, RESULTS_DIR, dayOf(keepFrom.toISOString()));
}
