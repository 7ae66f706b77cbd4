/**
 * Starting the site workflow after a run committed to main. Pushes made with the workflow's GITHUB_TOKEN
 * start no other workflow (GitHub's rule against loops), so the `push` trigger of site.yml never sees the
 * probe runs' commits; the run starts it itself through the REST API (`actions: write`), at once, instead
 * of leaving the public page behind until a person pushes.
 */
import type { Environment } from "../core/secrets.ts";
import { githubFromEnv, type GitHub } from "./github.ts";

export interface Dispatcher {
  workflow: string;
  /** Starts the workflow on `ref`; resolves to a sentence for the log, never throws. */
  dispatch(ref: string): Promise<{ ok: boolean; message: string }>;
}

/** A dispatcher from the Actions environment (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL), or why there is none. */
export function workflowDispatcher(workflow: string, env: Environment): Dispatcher | { reason: string } {
  const github = githubFromEnv(env);
  if ("missing" in github) return { reason: `starting ${workflow} needs ${github.missing.join(" and ")} in the environment` };
  return dispatcherWith(github, workflow);
}

export function dispatcherWith(github: GitHub, workflow: string): Dispatcher {
  return {
    workflow,
    async dispatch(ref) {
      try {
        await github.dispatchWorkflow(workflow, ref);
        return { ok: true, message: `started ${workflow} on ${ref}` };
      } catch (error) {
        return { ok: false, message: `could not start ${workflow} on ${ref}: ${(error as Error).message}` };
      }
    },
  };
}

