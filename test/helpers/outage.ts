/**
 * A small world for GitOps tests: a real HTTP target on 127.0.0.1 whose health the test switches, a
 * workspace probing it (one provider, the real schemas) with an alert rule that opens incidents, and a
 * local bare repository seeded with it as origin.
 */
import { stringify } from "yaml";
import { originFrom, type Origin } from "./git.ts";
import { httpCheck, probeWorkspace } from "./probe-workspace.ts";
import { serveHttp, type Served } from "./servers.ts";
import { put } from "./workspace.ts";

export interface OutageWorld {
  origin: Origin;
  target: Served & { healthy: boolean };
}

export interface OutageOptions {
  /** Extra fields of the check (cadence, thresholds, regions…). */
  check?: Record<string, unknown>;
  /** Extra fields of checks/signalroom.yaml (routes, incidents…). */
  config?: Record<string, unknown>;
  /** Extra fields of the alert rule (routes…). */
  rule?: Record<string, unknown>;
  /** The target answers after this long (runs that start together are still probing when the first pushes). */
  delayMs?: number;
  /** Runs while the target is being probed, before it answers (something that happens during a probe run). */
  onProbe?: () => Promise<void>;
}

export const CHECK = "members-health";
export const RULE = "members-down";

export async function outageWorld(options: OutageOptions = {}): Promise<OutageWorld> {
  const served = await serveHttp(async (_, response) => {
    const healthy = target.healthy;
    await options.onProbe?.();
    setTimeout(() => response.writeHead(healthy ? 200 : 503).end(healthy ? "ok" : "down"), options.delayMs ?? 0);
  });
  const target = Object.assign(served, { healthy: true });
  const { root } = await probeWorkspace([httpCheck(CHECK, `${target.url}/health`, { failureThreshold: 1, recoveryThreshold: 1, ...options.check })], options.config);
  const rule = { id: RULE, description: "Members API is down.", severity: "high", checks: [CHECK], condition: { type: "state", state: "down", for: 1 }, ...options.rule };
  await put(root, "checks/alert-rules.yaml", stringify({ rules: [rule] }));
  return { origin: await originFrom(root), target };
}
