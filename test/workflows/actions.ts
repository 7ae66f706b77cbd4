/**
 * Local stand-ins for the `uses:` steps of our workflows. Each declares the inputs of the real action
 * (an input it does not know, or a required one missing, fails the step, as a typo should) and does
 * what the real one does to the job, with the same failure modes:
 * - checkout: `git init`, fetch of the event's commit at `fetch-depth` over HTTP with the job's token,
 *   `checkout -B <branch>`; with `persist-credentials` (the default) the token stays in the clone's git
 *   config as actions/checkout leaves it (`http.<server>/.extraheader`), without it the clone cannot push;
 * - setup-node: fails when `node-version-file` is missing or asks for another major version than the
 *   Node.js it puts on PATH, and with `cache: npm` when there is no lockfile;
 * - upload-artifact / download-artifact: copy into and out of the run's artifact folder (hidden files
 *   left out by default; an empty path is an error, a warning or nothing as `if-no-files-found` says;
 *   one name per run);
 * - upload-pages-artifact / deploy-pages: the site's folder as `artifact.tar` in the `github-pages`
 *   artifact (missing or empty folder: error); deploy needs `pages: write` and `id-token: write` and
 *   publishes the archive into the world's Pages folder.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join, matchesGlob, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { git } from "../../scripts/gitops/git.ts";
import type { Access, World } from "./world.ts";

const exec = promisify(execFile);

export interface ActionContext {
  world: World;
  job: { id: string; permissions: Record<string, Access>; token: string };
  /** The run's folder for artifacts: one subfolder per artifact name. */
  artifacts: string;
  workspace: string;
  event: { name: string; ref: string; sha: string };
  inputs: Record<string, string>;
  log(line: string): void;
  /** Prepends a folder to PATH for the job's later steps (like GITHUB_PATH). */
  addPath(dir: string): void;
  /** The step's environment, as a real action would see it. */
  env: Record<string, string>;
}

interface StandIn {
  inputs: Record<string, { default?: string; required?: boolean }>;
  run(context: ActionContext): Promise<Record<string, string>>;
}

const basicAuth = (token: string) => `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
const bool = (value: string, name: string) => {
  if (value !== "true" && value !== "false") throw new Error(`Input ${name} must be true or false, got "${value}"`);
  return value === "true";
};

async function files(dir: string, includeHidden: boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (!includeHidden && entry.name.startsWith(".")) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.push(path);
    }
  };
  await walk(dir);
  return found;
}

const checkout: StandIn = {
  inputs: {
    repository: {},
    ref: {},
    token: {},
    "ssh-key": {},
    "ssh-known-hosts": {},
    "ssh-strict": { default: "true" },
    "ssh-user": { default: "git" },
    "persist-credentials": { default: "true" },
    path: { default: "" },
    clean: { default: "true" },
    filter: {},
    "sparse-checkout": {},
    "sparse-checkout-cone-mode": { default: "true" },
    "fetch-depth": { default: "1" },
    "fetch-tags": { default: "false" },
    "show-progress": { default: "true" },
    lfs: { default: "false" },
    submodules: { default: "false" },
    "set-safe-directory": { default: "true" },
    "github-server-url": {},
  },
  async run({ world, job, workspace, event, inputs, log }) {
    const depth = Number(inputs["fetch-depth"]);
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`The input 'fetch-depth' must be a number >= 0, got "${inputs["fetch-depth"]}"`);
    const persist = bool(inputs["persist-credentials"]!, "persist-credentials");
    const repository = inputs.repository || world.repository;
    const token = inputs.token || job.token;
    const path = resolve(workspace, inputs.path!);
    await rm(path, { recursive: true, force: true });
    await mkdir(path, { recursive: true });
    const header = `http.${world.git.url}/.extraheader`;
    await git(path, ["init", "--quiet"]);
    await git(path, ["remote", "add", "origin", `${world.git.url}/${repository}`]);
    await git(path, ["config", "--local", header, basicAuth(token)]);
    const pull = /^refs\/pull\/(\d+)\/merge$/.exec(event.ref);
    const branch = event.ref.replace(/^refs\/heads\//, "");
    const target = pull ? `refs/remotes/pull/${pull[1]}/merge` : `refs/remotes/origin/${branch}`;
    const fetch = ["fetch", "--quiet", "--no-tags", "--prune", "--no-recurse-submodules", ...(depth > 0 ? [`--depth=${depth}`] : []), "origin"];
    if (depth === 0 && !pull) await git(path, [...fetch, "+refs/heads/*:refs/remotes/origin/*"]);
    else await git(path, [...fetch, `+${event.sha}:${target}`]);
    if (pull) await git(path, ["checkout", "--quiet", "--detach", target]);
    else await git(path, ["checkout", "--quiet", "--force", "-B", branch, target]);
    if (!persist) await git(path, ["config", "--local", "--unset-all", header]);
    log(`Checked out ${repository}@${event.sha.slice(0, 7)} (${depth === 0 ? "full history" : `depth ${depth}`}, credentials ${persist ? "persisted" : "not persisted"})`);
    return { ref: event.ref, commit: event.sha };
  },
};

const setupNode: StandIn = {
  inputs: {
    "node-version": {},
    "node-version-file": {},
    architecture: {},
    "check-latest": { default: "false" },
    "registry-url": {},
    scope: {},
    token: {},
    cache: {},
    "package-manager-cache": { default: "true" },
    "cache-dependency-path": {},
    "always-auth": { default: "false" },
    mirror: {},
    "mirror-token": {},
  },
  async run({ world, workspace, inputs, addPath, log }) {
    let wanted = inputs["node-version"];
    if (inputs["node-version-file"]) {
      const file = resolve(workspace, inputs["node-version-file"]);
      if (!existsSync(file)) throw new Error(`The specified node version file at: ${file} does not exist`);
      wanted = (await readFile(file, "utf8")).trim().replace(/^v/, "");
    }
    if (!wanted) throw new Error("setup-node: give node-version or node-version-file (the hygiene rules want .nvmrc)");
    const have = process.versions.node;
    if (!`${have}.`.startsWith(`${wanted.replace(/\.x$/, "")}.`)) throw new Error(`Unable to find Node version '${wanted}' (the runner has ${have})`);
    if (inputs.cache) {
      if (inputs.cache !== "npm") throw new Error(`Caching for '${inputs.cache}' is not supported by the runner's stand-in`);
      const lock = inputs["cache-dependency-path"] || "package-lock.json";
      if (!existsSync(resolve(workspace, lock))) throw new Error(`Dependencies lock file is not found in ${workspace}. Supported file patterns: package-lock.json,npm-shrinkwrap.json,yarn.lock`);
    }
    addPath(world.toolcache);
    log(`Node.js ${have} on PATH`);
    return { "node-version": `v${have}`, "cache-hit": "false" };
  },
};

/** The paths of `path:` (one per line), each a file or a folder; the artifact's root is their common parent. */
async function collect(workspace: string, spec: string, includeHidden: boolean): Promise<{ root: string; found: string[] }> {
  const paths = spec.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => resolve(workspace, line));
  const found: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    if ((await stat(path)).isDirectory()) found.push(...(await files(path, includeHidden)));
    else found.push(path);
  }
  const dirs = await Promise.all(paths.map(async (path) => (existsSync(path) && (await stat(path)).isDirectory() ? path : resolve(path, ".."))));
  let root = dirs[0] ?? workspace;
  while (!dirs.every((dir) => !relative(root, dir).startsWith(".."))) root = resolve(root, "..");
  return { root, found };
}

async function storeArtifact(context: ActionContext, name: string, root: string, found: string[], overwrite: boolean): Promise<string> {
  const target = join(context.artifacts, name);
  if (existsSync(target) && !overwrite) throw new Error(`Failed to CreateArtifact: Received non-retryable error: Conflict: an artifact with this name already exists on the workflow run`);
  await rm(target, { recursive: true, force: true });
  for (const file of found) {
    await mkdir(resolve(join(target, relative(root, file)), ".."), { recursive: true });
    await cp(file, join(target, relative(root, file)));
  }
  context.log(`Artifact ${name} has been successfully uploaded (${found.length} files)`);
  return target;
}

const uploadArtifact: StandIn = {
  inputs: {
    name: { default: "artifact" },
    path: { required: true },
    "if-no-files-found": { default: "warn" },
    "retention-days": {},
    "compression-level": { default: "6" },
    overwrite: { default: "false" },
    "include-hidden-files": { default: "false" },
  },
  async run(context) {
    const { inputs, workspace, log } = context;
    const mode = inputs["if-no-files-found"]!;
    if (!["warn", "error", "ignore"].includes(mode)) throw new Error(`Unrecognized if-no-files-found input. Provided: ${mode}. Available options: warn,error,ignore`);
    if (inputs["retention-days"] && !(Number(inputs["retention-days"]) >= 1 && Number(inputs["retention-days"]) <= 90)) throw new Error(`Invalid retention-days: ${inputs["retention-days"]}`);
    const { root, found } = await collect(workspace, inputs.path!, bool(inputs["include-hidden-files"]!, "include-hidden-files"));
    if (found.length === 0) {
      const message = `No files were found with the provided path: ${inputs.path}. No artifacts will be uploaded.`;
      if (mode === "error") throw new Error(message);
      if (mode === "warn") log(`::warning::${message}`);
      return {} as Record<string, string>;
    }
    await storeArtifact(context, inputs.name!, root, found, bool(inputs.overwrite!, "overwrite"));
    return { "artifact-id": String(found.length), "artifact-url": `${context.world.git.url}/${context.world.repository}/actions/artifacts/${inputs.name}` };
  },
};

const downloadArtifact: StandIn = {
  inputs: {
    name: {},
    pattern: {},
    path: { default: "" },
    "merge-multiple": { default: "false" },
    "github-token": {},
    repository: {},
    "run-id": {},
    "artifact-ids": {},
  },
  async run({ artifacts, workspace, inputs, log }) {
    const path = resolve(workspace, inputs.path!);
    const names = existsSync(artifacts) ? await readdir(artifacts) : [];
    if (inputs.name) {
      if (!names.includes(inputs.name)) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${inputs.name}`);
      await cp(join(artifacts, inputs.name), path, { recursive: true });
      return { "download-path": path };
    }
    const chosen = names.filter((name) => !inputs.pattern || matchesGlob(name, inputs.pattern));
    const merge = bool(inputs["merge-multiple"]!, "merge-multiple");
    for (const name of chosen) await cp(join(artifacts, name), merge ? path : join(path, name), { recursive: true });
    log(`Downloaded ${chosen.length} artifact${chosen.length === 1 ? "" : "s"}: ${chosen.join(", ")}`);
    return { "download-path": path };
  },
};

const uploadPagesArtifact: StandIn = {
  inputs: { name: { default: "github-pages" }, path: { default: "_site/" }, "retention-days": { default: "1" } },
  async run(context) {
    const path = resolve(context.workspace, context.inputs.path!);
    if (!existsSync(path) || !(await stat(path)).isDirectory()) throw new Error(`The pages artifact path ${context.inputs.path} is not a folder`);
    if ((await files(path, true)).length === 0) throw new Error(`The pages artifact path ${context.inputs.path} is empty`);
    const staging = join(context.workspace, "..", `pages-artifact-${context.inputs.name}`);
    await mkdir(staging, { recursive: true });
    await exec("tar", ["--dereference", "--hard-dereference", "--directory", path, "-cf", join(staging, "artifact.tar"), "--exclude=.git", "--exclude=.github", "."]);
    await storeArtifact(context, context.inputs.name!, staging, [join(staging, "artifact.tar")], false);
    return {};
  },
};

const deployPages: StandIn = {
  inputs: {
    token: {},
    timeout: { default: "600000" },
    error_count: { default: "10" },
    reporting_interval: { default: "5000" },
    artifact_name: { default: "github-pages" },
    preview: { default: "false" },
  },
  async run({ world, job, artifacts, inputs, log }) {
    if (job.permissions.pages !== "write") throw new Error("Ensure GITHUB_TOKEN has permission \"pages: write\".");
    if (job.permissions["id-token"] !== "write") throw new Error('Ensure GITHUB_TOKEN has permission "id-token: write".');
    const archive = join(artifacts, inputs.artifact_name!, "artifact.tar");
    if (!existsSync(archive)) throw new Error(`Fetching artifact metadata failed. Is the artifact ${inputs.artifact_name} uploaded by this run?`);
    await rm(world.pages, { recursive: true, force: true });
    await mkdir(world.pages, { recursive: true });
    await exec("tar", ["-xf", archive, "-C", world.pages]);
    const [owner, name] = world.repository.split("/");
    const url = `https://${owner}.github.io/${name}/`;
    log(`Reported success! Deployed to ${url}`);
    return { page_url: url };
  },
};

/** The stand-in for `owner/name@ref`, found by owner and name (the pinned SHA is the hygiene test's business). */
export const STAND_INS: Record<string, StandIn> = {
  "actions/checkout": checkout,
  "actions/setup-node": setupNode,
  "actions/upload-artifact": uploadArtifact,
  "actions/download-artifact": downloadArtifact,
  "actions/upload-pages-artifact": uploadPagesArtifact,
  "actions/deploy-pages": deployPages,
};

/** Fills the defaults and refuses unknown or missing inputs, as a careful action would. */
export function checkedInputs(action: string, given: Record<string, string>): Record<string, string> {
  const standIn = STAND_INS[action];
  if (!standIn) throw new Error(`The workflow runner has no stand-in for ${action}`);
  const unknown = Object.keys(given).filter((name) => !(name in standIn.inputs));
  if (unknown.length > 0) throw new Error(`Unexpected input(s) ${unknown.map((name) => `'${name}'`).join(", ")}, valid inputs are ${Object.keys(standIn.inputs).join(", ")}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(standIn.inputs)) {
    const value = given[name] ?? spec.default;
    if (spec.required && !value) throw new Error(`Input required and not supplied: ${name}`);
    if (value !== undefined) inputs[name] = value;
  }
  return inputs;
}
