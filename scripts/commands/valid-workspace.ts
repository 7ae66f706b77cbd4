import { inspectStoredData } from "../store/inspect.ts";
import { reportProblems, type Terminal } from "../terminal.ts";
import { loadWorkspace, type Workspace } from "../workspace.ts";
import { UserError } from "./command.ts";

/**
 * The workspace every command but `validate` starts from: problems are printed (warnings too), and an
 * invalid workspace stops the command with one sentence saying what was not done. With `stored`, the
 * command also needs what probes wrote (checks/state.json and the data folders) to be usable.
 */
export async function validWorkspace(root: string, terminal: Terminal, notDone: string, options: { stored?: boolean } = {}): Promise<Workspace> {
  const { workspace, problems } = await loadWorkspace(root);
  const stored = options.stored ? (await inspectStoredData(root, { lines: false })).filter((problem) => problem.severity === "error") : [];
  reportProblems(terminal, [...problems, ...stored]);
  if (!workspace) throw new UserError(`The workspace is not valid (see above); ${notDone}.`);
  if (stored.length > 0) throw new UserError(`What earlier probe runs stored cannot be used (see above); ${notDone}.`);
  return workspace;
}
