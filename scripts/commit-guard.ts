/**
 * What a run says and checks before it commits (docs/github.md, "Topologies"): in a repository configured
 * public it says that everything committed is public; a repository configured private that GitHub reports
 * public (the event payload) gets nothing committed at all.
 */
import type { Deploy } from "./core/schema/deploy.ts";
import { commitGuard } from "./core/topology.ts";
import { UserError } from "./commands/command.ts";
import { eventVisibility } from "./gitops/actions.ts";
import type { Terminal } from "./terminal.ts";

export async function guardCommit(terminal: Terminal, deploy: Deploy, env: NodeJS.ProcessEnv): Promise<void> {
  const guard = commitGuard(deploy, await eventVisibility(env));
  if (guard.refuse) {
    terminal.annotate({ severity: "error", file: "checks/signalroom.yaml", path: ["deploy", "repository"], message: guard.refuse });
    throw new UserError(`${guard.refuse}.`);
  }
  if (guard.notice) terminal.out(terminal.paint.yellow(`notice: ${guard.notice}`));
}
