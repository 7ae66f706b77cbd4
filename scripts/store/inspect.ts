/**
 * What probe runs wrote, checked before it is used: checks/state.json, which every probe run and build needs
 * whole, and the folders of samples, rollups, the run log and heartbeats, whose shape the writers rely on.
 * With `lines`, every results and run-log line, rollup and heartbeat is read too (what `validate` does):
 * damage there is a warning, since every reader skips a damaged line, and each says how to recover.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Problem } from "../core/problems.ts";
import { logEntry } from "../core/schema/records.ts";
import { pathProblem } from "./files.ts";
import { HEARTBEATS_DIR, readHeartbeat } from "./heartbeats.ts";
import { listDayFiles, parseLine, readLines } from "./ndjson.ts";
import { loadRollups, ROLLUPS_DIR } from "./rollups.ts";
import { LOGS_DIR } from "./runlog.ts";
import { fromResultsLine, RESULTS_DIR } from "./samples.ts";
import { stateProblems } from "./state.ts";

/** Each folder probes write, and the files in it the readers open. */
const FOLDERS: { dir: string; files: RegExp }[] = [
  { dir: RESULTS_DIR, files: /\.ndjson$/ },
  { dir: LOGS_DIR, files: /\.ndjson$/ },
  { dir: ROLLUPS_DIR, files: /\.json$/ },
  { dir: HEARTBEATS_DIR, files: /\.json$/ },
];

export async function inspectStoredData(root: string, options: { lines: boolean }): Promise<Problem[]> {
  // Without a checks/ folder there is nothing stored; a file in its place is the workspace loader's to report.
  if (!(await stat(join(root, "checks")).then((found) => found.isDirectory(), () => false))) return [];
  const problems = [...(await stateProblems(root))];
  const usable: string[] = [];
  for (const folder of FOLDERS) {
    const found = await folderProblems(root, folder.dir, folder.files);
    problems.push(...found);
    if (found.length === 0) usable.push(folder.dir);
  }
  if (!options.lines) return problems;
  if (usable.includes(RESULTS_DIR)) problems.push(...(await damagedLines(root, RESULTS_DIR, fromResultsLine, "results line")));
  if (usable.includes(LOGS_DIR)) problems.push(...(await damagedLines(root, LOGS_DIR, (value) => [parseLine(logEntry, value)], "run-log line")));
  if (usable.includes(ROLLUPS_DIR)) problems.push(...(await damagedRollups(root)));
  if (usable.includes(HEARTBEATS_DIR)) problems.push(...(await damagedHeartbeats(root)));
  return problems;
}

/** A folder that is a file, cannot be listed, or holds a data file that is a folder or a looping link. */
async function folderProblems(root: string, dir: string, files: RegExp): Promise<Problem[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    const problem = pathProblem(error, "folder");
    if (!problem) throw error;
    return [{ severity: "error", file: dir, path: [], message: problem }];
  }
  const problems: Problem[] = [];
  for (const entry of entries.filter((candidate) => files.test(candidate.name) && !candidate.isFile())) {
    const file = relative(root, join(entry.parentPath, entry.name)).split(sep).join("/");
    const target = await stat(join(root, file)).then(
      (found) => (found.isFile() ? undefined : "is a folder where a data file should be: move it away"),
      (error: unknown) => pathProblem(error, "file") ?? "is a link to nothing: remove it",
    );
    if (target) problems.push({ severity: "error", file, path: [], message: target });
  }
  return problems;
}

/** One warning per damaged file: how many lines every reader skips, the first one, and what to do. */
async function damagedLines<T>(root: string, dir: string, parse: (value: unknown) => T[], what: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const { file } of await listDayFiles(root, dir)) {
    const { warnings } = await readLines(root, file, parse, what);
    const first = warnings[0];
    if (!first) continue;
    const reason = first.message.replace(/^unreadable .*? skipped: /, "");
    const count = warnings.length === 1 ? `this ${what} cannot be read, so every reader skips it` : `${warnings.length} ${what}s cannot be read (the first is here), so every reader skips them`;
    problems.push({ ...first, message: `${count} (${reason}); delete the damaged lines or restore the file from git history` });
  }
  return problems;
}

async function damagedRollups(root: string): Promise<Problem[]> {
  const names = (await readdir(join(root, ROLLUPS_DIR)).catch(() => [] as string[])).filter((name) => name.endsWith(".json")).sort();
  const problems: Problem[] = [];
  for (const name of names) {
    const { warnings } = await loadRollups(root, name.slice(0, -".json".length));
    const first = warnings[0];
    if (first) problems.push({ ...first, message: `${first.message}; the next probe run rewrites the file from the entries it could read and the samples still kept (restore it from git history to keep older days)` });
  }
  return problems;
}

async function damagedHeartbeats(root: string): Promise<Problem[]> {
  const names = (await readdir(join(root, HEARTBEATS_DIR)).catch(() => [] as string[])).filter((name) => name.endsWith(".json")).sort();
  const problems: Problem[] = [];
  for (const name of names) {
    const check = name.slice(0, -".json".length);
    const error = await readHeartbeat(root, check).then(
      () => undefined,
      (failure: Error) => failure.message,
    );
    if (error) problems.push({ severity: "warning", file: `${HEARTBEATS_DIR}/${name}`, line: 1, col: 1, path: [], message: error.replace(`${HEARTBEATS_DIR}/${name} `, "") });
  }
  return problems;
}
