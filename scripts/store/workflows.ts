/**
 * Reads `.github/workflows/*.yml` into what `npm run plan` needs to explain and price them: triggers,
 * jobs with their runner labels and matrix size, and each step's command or action. Expressions stay
 * text; nothing here runs them.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { WorkflowModel } from "../core/plan.ts";

type RawJob = { if?: unknown; "runs-on"?: unknown; strategy?: { matrix?: Record<string, unknown> }; steps?: { run?: unknown; uses?: unknown }[] };
type RawWorkflow = { name?: unknown; on?: unknown; concurrency?: unknown; jobs?: Record<string, RawJob> };

/** Jobs a matrix expands into: the product of its axes, plus `include` entries, minus `exclude` entries. */
function legs(matrix: Record<string, unknown> | undefined): number {
  if (!matrix || typeof matrix !== "object") return 1;
  const { include, exclude, ...axes } = matrix as { include?: unknown[]; exclude?: unknown[] } & Record<string, unknown>;
  const product = Object.values(axes).reduce<number>((total, values) => total * (Array.isArray(values) ? values.length : 1), 1);
  return Math.max(1, product - (Array.isArray(exclude) ? exclude.length : 0) + (Array.isArray(include) ? include.length : 0));
}

function triggersOf(on: unknown): WorkflowModel["triggers"] {
  const entries: [string, unknown][] = typeof on === "string" ? [[on, null]] : Array.isArray(on) ? on.map((name) => [String(name), null]) : Object.entries((on ?? {}) as Record<string, unknown>);
  return entries.map(([event, config]) => {
    const settings = (config ?? {}) as { types?: unknown; paths?: unknown; branches?: unknown };
    return {
      event,
      ...(event === "schedule" && Array.isArray(config) && { crons: config.map((entry) => String((entry as { cron?: unknown }).cron)) }),
      ...(Array.isArray(settings.types) && { types: settings.types.map(String) }),
      ...(Array.isArray(settings.paths) && { paths: settings.paths.map(String) }),
    };
  });
}

/** Every workflow of the repository at `root`, by file name; an unreadable file is an error naming it. */
export async function readWorkflows(root: string): Promise<WorkflowModel[]> {
  const dir = join(root, ".github/workflows");
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (file) => {
      let raw: RawWorkflow;
      try {
        raw = (parse(await readFile(join(dir, file), "utf8")) ?? {}) as RawWorkflow;
      } catch (error) {
        throw new Error(`.github/workflows/${file} is not valid YAML: ${(error as Error).message}`);
      }
      const concurrency = raw.concurrency as { group?: unknown } | string | undefined;
      return {
        file,
        name: typeof raw.name === "string" ? raw.name : file,
        triggers: triggersOf(raw.on),
        ...(concurrency && { concurrency: typeof concurrency === "string" ? concurrency : String(concurrency.group ?? "") }),
        jobs: Object.entries(raw.jobs ?? {}).map(([id, job]) => ({
          id,
          ...(job.if !== undefined && { if: String(job.if) }),
          runsOn: [job["runs-on"] ?? []].flat().map(String),
          legs: legs(job.strategy?.matrix),
          steps: (job.steps ?? []).map((step) => ({ ...(typeof step.run === "string" && { run: step.run }), ...(typeof step.uses === "string" && { uses: step.uses }) })),
        })),
      };
    }),
  );
}
