/**
 * Append-only NDJSON files, one per UTC day (and writer): the layout of samples and the run log. A run
 * that crashed mid-append leaves at most one broken last line; readers skip it with a warning naming the
 * file and line, and the next append starts on a fresh line so it is not glued to the broken one.
 */
import type { Dirent } from "node:fs";
import { mkdir, open, readdir, rm } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { z } from "zod";
import { describeIssues, formatPath, type Problem } from "../core/problems.ts";
import { readTextIfExists } from "./files.ts";

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.ndjson$/;

/**
 * `<dir>/<writer>/<day>.ndjson`: the writer is a region (and shard) label, the day the UTC date. The day
 * ends the path on purpose: git pairs objects for delta compression by a hash of the path's last
 * characters, so each day's file is compressed against its own earlier versions (a few bytes each, since
 * it only grows) instead of against other days' files.
 */
export function dayFilePath(dir: string, writer: string, day: string): string {
  return `${dir}/${writer}/${day}.ndjson`;
}

/** Day files under `dir` (relative to root) whose day lies in [firstDay, lastDay], by writer and day. */
export async function listDayFiles(root: string, dir: string, firstDay = "0000-00-00", lastDay = "9999-99-99"): Promise<{ file: string; day: string }[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => ({ file: relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"), match: DAY_FILE.exec(entry.name) }))
    .filter(({ match }) => match && match[1]! >= firstDay && match[1]! <= lastDay)
    .map(({ file, match }) => ({ file, day: match![1]! }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** Appends lines (without newlines) in one write, first ending a line a crashed writer left open. */
export async function appendLines(path: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "a+");
  try {
    const { size } = await handle.stat();
    let prefix = "";
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = "\n";
    }
    await handle.appendFile(`${prefix}${lines.join("\n")}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file line by line; `parse` returns the items of a line or throws a message. Unreadable lines are
 * skipped and reported as warnings located by file and line.
 */
export async function readLines<T>(root: string, file: string, parse: (value: unknown) => T[], what: string): Promise<{ items: T[]; warnings: Problem[] }> {
  const text = (await readTextIfExists(join(root, file))) ?? "";
  const items: T[] = [];
  const warnings: Problem[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    try {
      items.push(...parse(JSON.parse(line)));
    } catch (error) {
      const reason = error instanceof SyntaxError ? "not valid JSON (a truncated write?)" : (error as Error).message;
      warnings.push({ severity: "warning", file, line: index + 1, col: 1, path: [], message: `unreadable ${what} skipped: ${reason}` });
    }
  });
  return { items, warnings };
}

/** Deletes day files older than `keepFromDay`; returns the files removed, relative to root. */
export async function pruneDayFiles(root: string, dir: string, keepFromDay: string): Promise<string[]> {
  const old = (await listDayFiles(root, dir)).filter(({ day }) => day < keepFromDay);
  await Promise.all(old.map(({ file }) => rm(join(root, file), { force: true })));
  return old.map(({ file }) => file);
}

/** Parses a line's value with `schema`, throwing one short message (field: problem) when it does not fit. */
export function parseLine<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = describeIssues(parsed.error.issues, value, schema)[0]!;
  throw new Error(`${formatPath(issue.path) || "line"}: ${issue.message}`);
}
