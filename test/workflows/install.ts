/**
 * The dependencies every job of the workflow runner uses, installed once: a real
 * `npm ci --ignore-scripts --offline` of this repository's package.json and package-lock.json, so no
 * dependency's lifecycle script (esbuild's postinstall, vnu-jar's download) has run, exactly as in a
 * job that holds a write token. The install is kept in the system's temporary folder under a digest of
 * the two files and reused by later runs and by the other test files (a lock keeps two workers from
 * installing at once); a changed lockfile gets a new install.
 *
 * The `npm ci` of a job is then a stand-in (see `npmShim`): it checks the job's lockfile is this one and
 * fills node_modules with links to the prepared install's packages (without `--ignore-scripts`: to
 * this repository's own node_modules, where the scripts ran), instead of copying 440 packages per job.
 * node_modules stays a real folder, as after npm ci, so git ignores it the same way.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import lockfile from "proper-lockfile";
import { REPO } from "../helpers/workspace.ts";

const run = promisify(execFile);

/** The folder holding package.json, package-lock.json and node_modules installed without lifecycle scripts. */
export async function preparedInstall(): Promise<string> {
  const files = await Promise.all(["package.json", "package-lock.json"].map((file) => readFile(join(REPO, file))));
  const digest = createHash("sha256").update(files[0]!).update(files[1]!).digest("hex").slice(0, 16);
  const target = join(tmpdir(), `signalroom-install-${digest}`);
  if (existsSync(join(target, ".complete"))) return target;
  await mkdir(tmpdir(), { recursive: true });
  const lockTarget = `${target}.lock-target`;
  await writeFile(lockTarget, "");
  const release = await lockfile.lock(lockTarget, { retries: { retries: 600, minTimeout: 500, maxTimeout: 1000 }, stale: 300_000 });
  try {
    if (existsSync(join(target, ".complete"))) return target;
    const building = `${target}.building-${process.pid}`;
    await rm(building, { recursive: true, force: true });
    await mkdir(building, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) await cp(join(REPO, file), join(building, file));
    try {
      await run("npm", ["ci", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], { cwd: building, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`npm ci --ignore-scripts --offline failed for the workflow runner (run npm ci in the repository once so npm's cache holds every package): ${stderr ?? error}`);
    }
    await writeFile(join(building, ".complete"), new Date().toISOString());
    await rm(target, { recursive: true, force: true });
    await rename(building, target);
    return target;
  } finally {
    await release();
  }
}

/**
 * A bash script standing in for `npm` on a job's PATH: `npm ci` links node_modules as described above
 * (and fails, as npm does, without a lockfile or with one that differs); every other command runs the
 * real npm of the machine.
 */
export function npmShim(realNpm: string, prepared: string): string {
  return `#!/usr/bin/env bash
# Stand-in for \`npm ci\` in the workflow runner (test/workflows/install.ts); every other npm command is the real npm.
if [ "\${1:-}" != "ci" ]; then exec ${JSON.stringify(realNpm)} "$@"; fi
shift
scripts=${JSON.stringify(join(REPO, "node_modules"))}
target=scripts
for arg in "$@"; do
  case "$arg" in
    --ignore-scripts) target=prepared ;;
    --no-audit|--no-fund|--prefer-offline|--silent|--quiet) ;;
    *) echo "npm ci stand-in: the option $arg is not supported by the workflow runner" >&2; exit 1 ;;
  esac
done
if [ ! -f package-lock.json ]; then
  echo "npm error The \\\`npm ci\\\` command can only install with an existing package-lock.json or npm-shrinkwrap.json" >&2
  exit 1
fi
if ! cmp -s package-lock.json ${JSON.stringify(join(prepared, "package-lock.json"))}; then
  echo "npm error \\\`npm ci\\\` can only install packages when your package.json and package-lock.json are in sync (the workflow runner prepared another lockfile)" >&2
  exit 1
fi
if [ "$target" = prepared ]; then from=${JSON.stringify(join(prepared, "node_modules"))}; else from="$scripts"; fi
rm -rf node_modules
mkdir node_modules
shopt -s dotglob
ln -s "$from"/* node_modules/
echo "added $(ls "$from" | wc -l) packages ($target: linked from $from)"
`;
}
