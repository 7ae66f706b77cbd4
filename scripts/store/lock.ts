import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";

export const LOCK_DIR = "checks/.probe.lock";

/**
 * Runs `work` holding the workspace's write lock, so two probe cycles on one folder write state, samples
 * and rollups one after the other and never read each other's half-done work. A lock left by a crashed
 * process goes stale after `staleMs` (the holder refreshes it while alive) and is taken over.
 */
export async function withWorkspaceLock<T>(root: string, work: () => Promise<T>, staleMs = 30_000): Promise<T> {
  await mkdir(join(root, "checks"), { recursive: true });
  let lost: Error | undefined;
  const release = await lockfile.lock(join(root, "checks"), {
    lockfilePath: join(root, LOCK_DIR),
    stale: staleMs,
    retries: { retries: 600, factor: 1.2, minTimeout: 50, maxTimeout: 1_000 },
    // The library's default throws from a timer and ends the process; fail this run instead.
    onCompromised: (error) => {
      lost = error;
    },
  });
  try {
    const result = await work();
    if (lost) throw new Error(`the workspace lock ${LOCK_DIR} was lost while writing (${lost.message}); run the probe again`);
    return result;
  } finally {
    if (!lost) await release();
  }
}
