/**
 * Heartbeats pushed by jobs that cannot be probed (`npm run heartbeat -- CHECK_ID`): one small file per
 * check, so heartbeats for different checks never touch the same file and never conflict in git.
 */
import { join } from "node:path";
import { z } from "zod";
import { id, instant } from "../core/schema/common.ts";
import { readTextIfExists, writeFileAtomic } from "./files.ts";

export const HEARTBEATS_DIR = "checks/heartbeats";

export const heartbeatFile = z.strictObject({
  check: id.describe("Heartbeat check the beat belongs to."),
  at: instant.describe("When the latest beat was recorded."),
});
export type Heartbeat = z.infer<typeof heartbeatFile>;

export const heartbeatPath = (check: string) => `${HEARTBEATS_DIR}/${check}.json`;

/** The latest beat of a check; undefined when none was ever recorded. A damaged file is an error naming it. */
export async function readHeartbeat(root: string, check: string): Promise<Heartbeat | undefined> {
  const file = heartbeatPath(check);
  const text = await readTextIfExists(join(root, file));
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; record a new heartbeat to replace it`);
  }
  const parsed = heartbeatFile.safeParse(data);
  if (!parsed.success || parsed.data.check !== check) throw new Error(`${file} is not a heartbeat of ${check}; record a new heartbeat to replace it`);
  return parsed.data;
}

/**
 * Records a beat. A beat older than the one on file (a delayed job reporting late) never moves the
 * heartbeat back in time. Returns what is on file afterwards.
 */
export async function recordHeartbeat(root: string, check: string, at: Date): Promise<Heartbeat> {
  let current: Heartbeat | undefined;
  try {
    current = await readHeartbeat(root, check);
  } catch {
    current = undefined; // a damaged file is exactly what a new beat repairs
  }
  if (current && Date.parse(current.at) >= at.getTime()) return current;
  const beat: Heartbeat = { check, at: at.toISOString() };
  await writeFileAtomic(join(root, heartbeatPath(check)), `${JSON.stringify(beat)}\n`);
  return beat;
}
