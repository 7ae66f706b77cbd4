import { reportProblems, type Terminal } from "../terminal.ts";
import { loadWorkspace, type Workspace } from "../workspace.ts";
import { UserError } from "./command.ts";

/**
 * The workspace every command but `validate` starts from: problems are printed (warnings too), and an
 * invalid workspace stops the command with one sentence saying what was not done.
 */
export async function validWorkspace(root: string, terminal: Terminal, notDone: string): Promise<Workspace> {
  const { workspace, problems } = await loadWorkspace(root);
  reportProblems(terminal, problems);
  if (!workspace) throw new UserError(`The workspace is not valid (see above); ${notDone}.`);
  return workspace;
}
