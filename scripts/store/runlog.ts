/** The structured run log (playbook §6.1.2) in checks/logs/: NDJSON, one file per UTC day and writer. */
import { join } from "node:path";
import type { Problem } from "../core/problems.ts";
import { logEntry, type LogEntry } from "../core/schema/records.ts";
import { appendLines, dayFilePath, listDayFiles, parseLine, pruneDayFiles, readLines } from "./ndjson.ts";

export const LOGS_DIR = "checks/logs";

const dayOf = (at: string) => new Date(at).toISOString().slice(0, 10);

/** Appends entries to the files of their day; `writer` (region, shard) keeps parallel jobs in their own files. */
export async function appendLog(root: string, entries: readonly LogEntry[], writer = "local"): Promise<string[]> {
  const written: string[] = [];
  for (const [day, group] of Map.groupBy(entries, (entry) => dayOf(entry.at))) {
    const file = dayFilePath(LOGS_DIR, writer, day);
    await appendLines(join(root, file), group.map((entry) => JSON.stringify(entry)));
    written.push(file);
  }
  return written;
}

/** Entries with `from <= at < to` from every writer, oldest first; unreadable lines are skipped with a warning. */
export async function readLog(root: string, from: Date, to: Date): Promise<{ entries: LogEntry[]; warnings: Problem[] }> {
  const entries: LogEntry[] = [];
  const warnings: Problem[] = [];
  for (const { file } of await listDayFiles(root, LOGS_DIR, dayOf(from.toISOString()), dayOf(to.toISOString()))) {
    const read = await readLines(root, file, (value) => [parseLine(logEntry, value)], "log line");
    warnings.push(...read.warnings);
    entries.push(...read.items.filter((entry) => Date.parse(entry.at) >= from.getTime() && Date.parse(entry.at) < to.getTime()));
  }
  entries.sort((a, b) => a.at.localeCompare(b.at));
  return { entries, warnings };
}

/** Removes log files of days that ended before `keepFrom`. */
export function pruneLog(root: string, keepFrom: Date): Promise<string[]> {
  return pruneDayFiles(root, LOGS_DIR, dayOf(keepFrom.toISOString()));
}
