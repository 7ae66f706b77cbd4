import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualClock } from "../../scripts/core/clock.ts";
import { SEED_NOW, writeSeedRoom } from "../fixtures/seed-room.ts";
import { runCli } from "../helpers/cli.ts";
import { REPO } from "../helpers/workspace.ts";

export interface SeedBuild {
  root: string;
  out: string;
  remove(): Promise<void>;
}

/**
 * The example configuration with the seed world's data, built with `npm run build` at the seed's time.
 * For a whole test file (beforeAll), so it manages its own folder instead of the per-test temp dirs.
 */
export async function buildSeedWorld(sites: ("internal" | "public")[] = ["internal"]): Promise<SeedBuild> {
  const dir = await mkdtemp(join(tmpdir(), "signalroom-seed-"));
  const root = join(dir, "workspace");
  const out = join(dir, "dist");
  await cp(join(REPO, "checks"), join(root, "checks"), { recursive: true, filter: (source) => !/checks\/(results|rollups|logs|state\.json)/.test(source) });
  await mkdir(join(root, "incidents"));
  await writeSeedRoom(root);
  const only = sites.length === 1 ? ["--only", sites[0]!] : [];
  const result = await runCli(["build", "--root", root, "--out", out, ...only], {}, { clock: manualClock(SEED_NOW) });
  if (result.code !== 0 || result.stderr) throw new Error(`the room did not build:\n${result.stderr}`);
  return { root, out, remove: () => rm(dir, { recursive: true, force: true }) };
}
