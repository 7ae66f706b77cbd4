import { appendFile, readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import type { Visibility } from "../core/topology.ts";

/** Step outputs for later steps of a GitHub Actions job (`steps.<id>.outputs.<name>`); a no-op elsewhere. */
export async function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(outputs).map(([name, value]) => {
    const fence = `EOF_${randomBytes(8).toString("hex")}`;
    return `${name}<<${fence}\n${value}\n${fence}\n`;
  });
  await appendFile(env.GITHUB_OUTPUT, lines.join(""));
}

/**
 * The repository's visibility as GitHub reports it in the run's event payload (GITHUB_EVENT_PATH; every
 * event we run on carries `repository`, scheduled runs too since 2022), or undefined outside Actions.
 */
export async function eventVisibility(env: NodeJS.ProcessEnv): Promise<Visibility | undefined> {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const repository = (JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as { repository?: { private?: unknown; visibility?: unknown } }).repository;
    if (repository?.visibility === "public" || repository?.private === false) return "public";
    if (repository?.private === true) return "private";
  } catch {
    // No readable event: the configuration alone decides.
  }
  return undefined;
}
