import { join } from "node:path";
import { describeIssues, formatProblem, type Problem } from "../core/problems.ts";
import { stateFile, type StateFile } from "../core/schema/records.ts";
import { readWorkspaceText, writeFileAtomic } from "./files.ts";
import { parseYaml } from "./yaml.ts";

export const STATE_FILE = "checks/state.json";

/** How to recover from a damaged state file, said once wherever the damage is reported. */
const RECOVER_STATE = `restore it from git history (git checkout HEAD -- ${STATE_FILE}), or delete it to start afresh: every check is then unknown until probed, and alert state, acknowledgements and the notification outbox are lost`;

export function emptyState(now: Date): StateFile {
  return { version: 1, updatedAt: now.toISOString(), checks: {}, alerts: {}, outbox: [] };
}

/** Parses the text of checks/state.json; every problem is located by line and field. */
function parseState(text: string): { state: StateFile; problems?: undefined } | { problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = /end of JSON input/.test(message) ? text.length : Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
    const line = text.slice(0, offset).split("\n").length;
    const col = offset - text.lastIndexOf("\n", offset - 1);
    const reason = message.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
    return { problems: [{ severity: "error", file: STATE_FILE, line, col, path: [], message: `is not valid JSON (${reason}); ${RECOVER_STATE}` }] };
  }
  const parsed = stateFile.safeParse(data);
  if (parsed.success) return { state: parsed.data };
  // JSON is YAML: the YAML parser knows where each field starts.
  const located = parseYaml(text, STATE_FILE);
  return {
    problems: describeIssues(parsed.error.issues, data, stateFile).map((issue) => ({
      severity: "error",
      file: STATE_FILE,
      ...located.locate(issue.path, issue.atKey),
      path: issue.path,
      message: `${issue.message}; ${RECOVER_STATE}`,
    })),
  };
}

/** What is wrong with checks/state.json (nothing when it is missing, which is an empty state). */
export async function stateProblems(root: string): Promise<Problem[]> {
  const found = await readWorkspaceText(root, STATE_FILE);
  if (found === undefined) return [];
  if ("problem" in found) return [{ severity: "error", file: STATE_FILE, path: [], message: found.problem }];
  return parseState(found.text).problems ?? [];
}

/** Reads checks/state.json; a missing file is an empty state, a broken one an error naming where and what. */
export async function readState(root: string, now: Date): Promise<StateFile> {
  const found = await readWorkspaceText(root, STATE_FILE);
  if (found === undefined) return emptyState(now);
  if ("problem" in found) throw new Error(`${STATE_FILE} ${found.problem}`);
  const parsed = parseState(found.text);
  if (parsed.problems) throw new Error(formatProblem(parsed.problems[0]!));
  return parsed.state;
}

export async function writeState(root: string, state: StateFile): Promise<void> {
  await writeFileAtomic(join(root, STATE_FILE), `${JSON.stringify(state, null, 1)}\n`);
}
