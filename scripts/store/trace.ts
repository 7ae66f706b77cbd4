/**
 * Sample traces for `alert simulate`: NDJSON, one sample per line, the same lines the probe writes to
 * checks/results/*.ndjson. Only `at`, `check` and `state` are required; `region` defaults to `trace` and
 * `run` to the sample's time. Blank lines and lines starting with `#` are skipped.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { describeIssues, formatPath } from "../core/problems.ts";
import { sample, type Sample } from "../core/schema/records.ts";

const traceLine = sample.extend({ region: z.string().default("trace"), run: z.string().optional() });

export class TraceError extends Error {
  override name = "TraceError";
}

export async function readTrace(file: string): Promise<Sample[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new TraceError(`Cannot read the trace ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const samples: Sample[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new TraceError(`${file}:${index + 1}: not a JSON object (each line of a trace is one sample).`);
    }
    const parsed = traceLine.safeParse(data);
    if (!parsed.success) {
      const issue = describeIssues(parsed.error.issues, data, traceLine)[0]!;
      throw new TraceError(`${file}:${index + 1} ${formatPath(issue.path)}: ${issue.message}.`);
    }
    samples.push({ ...parsed.data, run: parsed.data.run ?? parsed.data.at });
  }
  if (samples.length === 0) throw new TraceError(`The trace ${file} holds no samples.`);
  return samples.sort((a, b) => a.at.localeCompare(b.at));
}
