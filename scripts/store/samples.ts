import { appendFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Problem } from "../core/problems.ts";
import { sample as sampleSchema, type Sample } from "../core/schema/records.ts";
import { readTextIfExists } from "./files.ts";

export const RESULTS_DIR = "checks/results";

const dayOf = (at: string) => at.slice(0, 10);

/** Appends samples as NDJSON, one file per UTC day and region: appends are small and delta-compress well in git. */
export async function appendSamples(root: string, samples: readonly Sample[]): Promise<void> {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const file = join(root, RESULTS_DIR, `${dayOf(sample.at)}.${sample.region}.ndjson`);
    groups.set(file, [...(groups.get(file) ?? []), sample]);
  }
  await mkdir(join(root, RESULTS_DIR), { recursive: true });
  for (const [file, group] of groups) {
    await appendFile(file, group.map((sample) => `${JSON.stringify(sample)}\n`).join(""));
  }
}

export interface SampleRead {
  samples: Sample[];
  /** Lines that could not be read (a truncated write, say): skipped, never fatal. */
  warnings: Problem[];
}

/** Samples with `from <= at < to`, oldest first. */
export async function readSamples(root: string, from: Date, to: Date): Promise<SampleRead> {
  const dir = join(root, RESULTS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { samples: [], warnings: [] };
    throw error;
  }
  const firstDay = from.toISOString().slice(0, 10);
  const lastDay = to.toISOString().slice(0, 10);
  const samples: Sample[] = [];
  const warnings: Problem[] = [];
  for (const name of names.filter((n) => n.endsWith(".ndjson")).sort()) {
    const day = name.slice(0, 10);
    if (day < firstDay || day > lastDay) continue;
    const file = `${RESULTS_DIR}/${name}`;
    const text = (await readTextIfExists(join(root, file))) ?? "";
    text.split("\n").forEach((line, index) => {
      if (!line.trim()) return;
      let parsed;
      try {
        parsed = sampleSchema.safeParse(JSON.parse(line));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        warnings.push({ severity: "warning", file, line: index + 1, col: 1, path: [], message: "unreadable sample line skipped" });
        return;
      }
      const at = Date.parse(parsed.data.at);
      if (at >= from.getTime() && at < to.getTime()) samples.push(parsed.data);
    });
  }
  samples.sort((a, b) => a.at.localeCompare(b.at));
  return { samples, warnings };
}
