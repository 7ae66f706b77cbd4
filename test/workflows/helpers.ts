/** What the workflow scenarios share: starting what a run dispatched, reading artifacts and a repository's every object. */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { readFile, writeFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { DemoWorld } from "../../scripts/demo/servers.ts";
import { withSinks } from "../../scripts/demo/workspace.ts";
import { workflowDispatchEvent } from "./events.ts";
import { runWorkflow, type WorkflowRun } from "./runner.ts";
import { createWorld, type World } from "./world.ts";

const exec = promisify(execFile);

/**
 * The notification routes of a repository deliver to the demo's sinks (the vendors' servers are unreachable
 * here); the `github` route keeps following GITHUB_API_URL, the local GitHub server.
 */
export async function routeToSinks(tree: string, demo: DemoWorld): Promise<void> {
  const file = join(tree, "checks/signalroom.yaml");
  const { github: _github, ...sinks } = demo.endpoints;
  await writeFile(file, withSinks(parseDocument(await readFile(file, "utf8")), sinks).toString());
}

/** Sets values in a repository's checks/signalroom.yaml, by dotted path (its comments kept). */
export async function configure(tree: string, values: Record<string, unknown>): Promise<void> {
  const file = join(tree, "checks/signalroom.yaml");
  const doc = parseDocument(await readFile(file, "utf8"));
  for (const [path, value] of Object.entries(values)) doc.setIn(path.split("."), doc.createNode(value));
  await writeFile(file, doc.toString());
}

/**
 * A repository made from this one whose database is down (its address, a secret, is a closed port), so one
 * scheduled probe run opens an incident; the routes deliver to the demo's sinks and the incident mirror is on.
 */
export function databaseDownWorld(demo: DemoWorld, options: { private?: boolean; config?: Record<string, unknown> } = {}): Promise<World> {
  return createWorld({
    private: options.private,
    secrets: { ...demo.env, DATABASE_URL: "postgres://signalroom:secret@127.0.0.1:1/app" },
    prepare: async (tree) => {
      await routeToSinks(tree, demo);
      await configure(tree, { "incidents.mirror.enabled": true, ...options.config });
    },
  });
}

/** Starts, as GitHub would, every workflow dispatched through the API since `from` (an index into the dispatches). */
export async function runDispatched(world: World, from: number): Promise<WorkflowRun[]> {
  const runs: WorkflowRun[] = [];
  for (const dispatch of world.api.dispatches.slice(from)) runs.push(await runWorkflow(world, dispatch.workflow, workflowDispatchEvent(world.info, dispatch.workflow)));
  return runs;
}

/** Files of an artifact of a run, relative to the artifact. */
export async function artifactFiles(run: WorkflowRun, name: string): Promise<string[]> {
  return (await readdir(join(run.artifacts, name), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(join(run.artifacts, name).length + 1));
}

/** Every object a bare repository holds, reachable or not, decompressed: its whole history and more. */
export async function everyObject(bare: string): Promise<string> {
  const { stdout } = await exec("git", ["cat-file", "--batch-all-objects", "--batch"], { cwd: bare, maxBuffer: 512 * 1024 * 1024, encoding: "latin1" });
  return stdout;
}

/**
 * Where a canary appears in `text`: the word in the clear, in any case, and each phrase base64-encoded at any
 * alignment (only the characters that depend on the phrase alone are compared, so surrounding bytes do not matter).
 */
export function leaks(text: string, word: string, phrases: readonly string[]): string[] {
  const found = [...text.matchAll(new RegExp(`${word}.{0,30}`, "gi"))].map((match) => match[0]);
  for (const phrase of phrases) {
    for (let shift = 0; shift < 3; shift++) {
      const encoded = Buffer.from(`${"x".repeat(shift)}${phrase}`).toString("base64");
      const stable = encoded.slice(Math.ceil((shift * 4) / 3) + 1, Math.floor(((shift + phrase.length) * 4) / 3) - 1);
      if (text.includes(stable)) found.push(`base64 of "${phrase}": ${stable}`);
    }
  }
  return found;
}
