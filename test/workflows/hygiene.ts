/** Our own rules for workflow files, on top of actionlint (docs/github.md, "Hygiene"). */
import { parse } from "yaml";

type Job = { permissions?: unknown; steps?: { uses?: string; run?: string; with?: Record<string, unknown> }[] };

/** Whether a job's token may write anything (`permissions: write-all`, or any scope set to write). */
function writes(permissions: unknown): boolean {
  if (permissions === "write-all") return true;
  return typeof permissions === "object" && permissions !== null && Object.values(permissions).includes("write");
}
type Workflow = { on?: Record<string, unknown>; permissions?: unknown; concurrency?: unknown; jobs?: Record<string, Job> };

export function hygieneProblems(name: string, text: string): string[] {
  const problems: string[] = [];
  const workflow = parse(text) as Workflow;
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!uses || uses[1]!.startsWith("./")) return;
    const [, ref, rest] = uses;
    if (!/@[0-9a-f]{40}$/.test(ref!)) problems.push(`${name}:${index + 1} ${ref} is not pinned to a full commit SHA`);
    else if (!/#\s*v\d+(\.\d+)*\s*$/.test(rest!)) problems.push(`${name}:${index + 1} ${ref} needs a "# vX.Y.Z" comment saying which version the SHA is`);
  });
  if (JSON.stringify(workflow.permissions) !== "{}") problems.push(`${name}: top-level permissions must be {} (each job asks for what it needs)`);
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    if (job.permissions === undefined) problems.push(`${name}: job ${id} has no explicit permissions`);
    for (const step of job.steps ?? []) {
      if (step.uses?.startsWith("actions/setup-node@") && step.with?.["node-version-file"] !== ".nvmrc") problems.push(`${name}: job ${id} must take Node from .nvmrc`);
      if (step.uses?.startsWith("actions/checkout@") && step.with?.["persist-credentials"] !== false) {
        problems.push(`${name}: job ${id} leaves the token in .git/config (persist-credentials: false; our commands push with GITHUB_TOKEN from their own step's environment)`);
      }
      if (step.run && /\$\{\{\s*github\.event\./.test(step.run)) problems.push(`${name}: job ${id} puts event data into a script; pass it through env`);
      if (step.run && /\bnpm (ci|install|i)\b/.test(step.run) && !/--ignore-scripts\b/.test(step.run) && writes(job.permissions)) {
        problems.push(`${name}: job ${id} holds a write token: install with npm ci --ignore-scripts (no dependency lifecycle scripts)`);
      }
    }
  }
  return problems;
}
