import { stringify } from "yaml";
import { loadWorkspace, type Workspace } from "../../scripts/workspace.ts";
import { put, tempDir } from "./workspace.ts";

/** A workspace with one provider whose checks are the given YAML objects (ids, types, targets). */
export async function probeWorkspace(checks: Record<string, unknown>[], config: Record<string, unknown> = {}): Promise<{ root: string; workspace: Workspace }> {
  const root = await tempDir();
  await put(root, "checks/signalroom.yaml", stringify({ page: { title: "Test status" }, lanes: [{ id: "api" }], ...config }));
  await put(
    root,
    "checks/providers/members-api.yaml",
    stringify({
      id: "members-api",
      name: "Members API",
      lane: "api",
      owner: "Platform",
      kind: "api",
      readiness: "live",
      consumer: "Member app",
      recovery: "Run the health smoke",
      evidence: { note: "The API members use." },
      checks,
    }),
  );
  await put(root, "incidents/.keep", "");
  const { workspace, problems } = await loadWorkspace(root);
  if (!workspace) throw new Error(`test workspace is invalid: ${JSON.stringify(problems)}`);
  return { root, workspace };
}

/** An HTTP check at `url`, every minute, no retries, short timeout. */
export function httpCheck(id: string, url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: "http", url, cadence: "1m", timeout: "2s", retries: 0, ...extra };
}
