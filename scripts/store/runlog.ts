import { appendFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Problem } from "../core/problems.ts";
import { logEntry, type LogEntry } from "../core/schema/records.ts";
import { readTextIfExists } from "./files.ts";

export const LOGS_DIR = "checks/logs";

/** Appends structured run-log entries (playbook §6.1.2) as NDJSON, one file per UTC day. */
export async function appendLog(root: string, entries: readonly LogEntry[]): Promise<void> {
  const byDay = new Map<string, LogEntry[]>();
  for (const entry of entries) byDay.set(entry.at.slice(0, 10), [...(byDay.get(entry.at.slice(0, 10)) ?? []), entry]);
  await mkdir(join(root, LOGS_DIR), { recursive: true });
  for (const [day, group] of byDay) {
    await appendFile(join(root, LOGS_DIR, `${day}.ndjson`), group.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
  }
}

/** Entries with `from <= at < to`, oldest first; unreadable lines are skipped with a warning. */
export async function readLog(root: string, from: Date, to: Date): Promise<{ entries: LogEntry[]; warnings: Problem[] }> {
  let names: string[];
  try {
    names = await readdir(join(root, LOGS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], warnings: [] };
    throw error;
  }
  const entries: LogEntry[] = [];
  const warnings: Problem[] = [];
  const [first, last] = [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
  for (const name of names.filter((n) => n.endsWith(".ndjson") && n.slice(0, 10) >= first && n.slice(0, 10) <= last).sort()) {
    const file = `${LOGS_DIR}/${name}`;
    ((await readTextIfExists(join(root, file))) ?? "").split("\n").forEach((line, index) => {
      if (!line.trim()) return;
      let parsed;
      try {
        parsed = logEntry.safeParse(JSON.parse(line));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        warnings.push({ severity: "warning", file, line: index + 1, col: 1, path: [], message: "unreadable log line skipped" });
        return;
      }
      const at = Date.parse(parsed.data.at);
      if (at >= from.getTime() && at < to.getTime()) entries.push(parsed.data);
    });
  }
  entries.sort((a, b) => a.at.localeCompare(b.at));
  return { entries, warnings };
}
