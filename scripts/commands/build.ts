import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Problem } from "../core/problems.ts";
import { reportProblems } from "../terminal.ts";
import { CONFIG_FILE } from "../workspace.ts";
import { UserError, type Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

export type SiteTarget = "public" | "internal";

/** Astro failed; `log` is what it printed, which names the page and the cause. */
export class SiteBuildError extends Error {
  override name = "SiteBuildError";
  readonly target: SiteTarget;
  readonly log: string;
  constructor(target: SiteTarget, log: string) {
    super(`The ${target} site did not build:\n${log}`);
    this.target = target;
    this.log = log;
  }
}

export interface BuildOptions {
  repo: string;
  root: string;
  out: string;
  now: Date;
  url?: string;
  basePath: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Builds one site in its own process: each build sees only its own routes, so nothing of the internal
 * room can end up in the public output even through a cached module.
 *
 * Astro stages prerendered chunks inside the output folder, and they must resolve packages from this
 * repository's node_modules (for an output folder elsewhere Astro falls back to the shared .astro/, where
 * parallel builds collide). So every build writes into its own folder under .tmp/ and is swapped into
 * place only once it succeeded: a failed build leaves the last good site exactly as it was.
 */
export async function buildSite(target: SiteTarget, options: BuildOptions): Promise<{ ms: number; log: string }> {
  const started = Date.now();
  const staging = join(options.repo, ".tmp", `build-${target}-${randomBytes(6).toString("hex")}`);
  try {
    const log = await runAstro(target, options, staging);
    await moveInto(staging, join(options.out, target));
    return { ms: Date.now() - started, log };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function runAstro(target: SiteTarget, options: BuildOptions, outDir: string): Promise<string> {
  const astro = join(options.repo, "node_modules/astro/bin/astro.mjs");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [astro, "build", "--root", options.repo], {
      cwd: options.repo,
      env: {
        ...options.env,
        ASTRO_TELEMETRY_DISABLED: "1",
        SIGNALROOM_SITE: target,
        SIGNALROOM_ROOT: options.root,
        SIGNALROOM_NOW: options.now.toISOString(),
        SIGNALROOM_OUT: outDir,
        SIGNALROOM_URL: options.url ?? "",
        SIGNALROOM_BASE: options.basePath,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(log);
      else reject(new SiteBuildError(target, log.trim()));
    });
  });
}

/**
 * Replaces `target` with the finished build in `source`. The new site is first brought next to the
 * target (a rename on the same disk, a copy across disks), then the old one is renamed aside and the new
 * one renamed in: the target is never half written, and a failure before the swap leaves it untouched.
 */
async function moveInto(source: string, target: string): Promise<void> {
  const parent = join(target, "..");
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(6).toString("hex");
  const incoming = `${target}.new-${suffix}`;
  const outgoing = `${target}.old-${suffix}`;
  try {
    await rename(source, incoming);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await cp(source, incoming, { recursive: true });
  }
  let asideOld = false;
  try {
    try {
      await rename(target, outgoing);
      asideOld = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    await rename(incoming, target);
  } catch (error) {
    if (asideOld) await rename(outgoing, target);
    throw error;
  } finally {
    await rm(incoming, { recursive: true, force: true });
    await rm(outgoing, { recursive: true, force: true });
  }
}

/** page.url is optional; without it the public site leaves out what needs absolute addresses, said once. */
const WITHOUT_ADDRESS: Problem = {
  severity: "warning",
  file: CONFIG_FILE,
  path: ["page", "url"],
  message: "is not set: the feeds, the Statuspage API, the sitemap and social cards need absolute addresses and are left out of the public site",
};

export const build: Command = {
  name: "build",
  summary: "Build the public status site into dist/public and the operations room into dist/internal.",
  usage: "[--root DIR] [--out DIR] [--only public|internal]",
  options: { out: { type: "string" }, only: { type: "string" } },
  async run({ repo, root, values, terminal, env, clock }) {
    const only = values.only;
    if (only !== undefined && only !== "public" && only !== "internal") throw new UserError(`--only must be public or internal, not "${String(only)}".`);
    const workspace = await validWorkspace(root, terminal, "nothing was built", { stored: true });
    const out = resolve(typeof values.out === "string" ? values.out : join(repo, "dist"));
    const targets: SiteTarget[] = only ? [only] : ["public", "internal"];
    const options: BuildOptions = { repo, root, out, now: clock.now(), url: workspace.config.page.url, basePath: workspace.config.page.basePath, env };
    if (targets.includes("public") && !workspace.config.page.url) reportProblems(terminal, [WITHOUT_ADDRESS]);
    terminal.progress(`Building ${targets.join(" and ")}…`);
    let results;
    try {
      results = await Promise.all(targets.map((target) => buildSite(target, options)));
    } catch (error) {
      if (!(error instanceof SiteBuildError)) throw error;
      terminal.err(error.log);
      throw new UserError(`The ${error.target} site did not build; Astro's output above names the page and the cause. The last good site in ${join(out, error.target)} was kept.`);
    }
    targets.forEach((target, index) => terminal.out(`${terminal.paint.green("✓")} ${target} site → ${join(out, target)} (${(results[index]!.ms / 1000).toFixed(1)} s)`));
    return 0;
  },
};
