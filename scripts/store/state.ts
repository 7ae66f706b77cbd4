import { join } from "node:path";
import { stateFile, type StateFile } from "../core/schema/records.ts";
import { describeIssues, formatPath } from "../core/problems.ts";
import { readTextIfExists, writeFileAtomic } from "./files.ts";

export const STATE_FILE = "checks/state.json";

export function emptyState(now: Date): StateFile {
  return { version: 1, updatedAt: now.toISOString(), checks: {}, alerts: {}, outbox: [] };
}

/** Reads checks/state.json; a missing file is an empty state, a broken one an error naming what is wrong. */
export async function readState(root: string, now: Date): Promise<StateFile> {
  const text = await readTextIfExists(join(root, STATE_FILE));
  if (text === undefined) return emptyState(now);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${STATE_FILE} is not valid JSON (${(error as Error).message}); restore it from git history`);
  }
  const parsed = stateFile.safeParse(data);
  if (!parsed.success) {
    const first = describeIssues(parsed.error.issues, data, stateFile)[0]!;
    throw new Error(`${STATE_FILE} ${formatPath(first.path)}: ${first.message}; restore it from git history`);
  }
  return parsed.data;
}

export async function writeState(root: string, state: StateFile): Promise<void> {
  await writeFileAtomic(join(root, STATE_FILE), `${JSON.stringify(state, null, 1)}\n`);
}
