import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { runProbeCycle } from "../../scripts/engine.ts";
import { readLog } from "../../scripts/store/runlog.ts";
import { readState } from "../../scripts/store/state.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { httpCheck, probeWorkspace } from "../helpers/probe-workspace.ts";
import { startRecorder, type Recorder } from "../helpers/recorder.ts";
import { serveHttp } from "../helpers/servers.ts";
import { put } from "../helpers/workspace.ts";

const T0 = "2026-11-20T10:00:00.000Z";
const MINUTE = 60_000;

describe("alerting inside the probe cycle", () => {
  let hooks: Recorder;
  beforeAll(async () => {
    hooks = await startRecorder();
  });
  afterAll(() => hooks.close());

  test("failureThreshold 3 and `state: down, for: 1`: one failing probe pages nobody and opens no incident; the third does", async () => {
    let healthy = true;
    const target = await serveHttp((_, response) => response.writeHead(healthy ? 200 : 503).end());
    const { root } = await probeWorkspace([httpCheck("members-health", `${target.url}/health`, { failureThreshold: 3 })], {
      routes: [{ id: "pager", channel: "webhook", url: "${env:HOOK_URL}" }],
      severityRoutes: { critical: ["pager"] },
    });
    await put(root, "checks/alert-rules.yaml", stringify({ rules: [{ id: "members-down", description: "Members API is down.", severity: "critical", checks: ["members-health"], condition: { type: "state", state: "down", for: 1 } }] }));
    const { workspace } = await loadWorkspace(root);
    const clock = manualClock(T0);
    const cycle = async (minute: number, up: boolean) => {
      healthy = up;
      clock.set(new Date(Date.parse(T0) + minute * MINUTE));
      return runProbeCycle({ root, workspace: workspace!, clock, env: { HOOK_URL: `${hooks.url}/pager` }, region: "local", runId: `run-${minute}` });
    };
    await cycle(0, true);
    const before = hooks.requests.length;
    for (const minute of [1, 2]) {
      const result = await cycle(minute, false);
      expect(result.alertEvents).toEqual([]);
      expect(result.incidents).toEqual([]);
      expect(result.state.checks["members-health"]!.status).toBe("up");
    }
    expect(hooks.requests.length).toBe(before);
    const confirmed = await cycle(3, false);
    expect(confirmed.state.checks["members-health"]!.status).toBe("down");
    expect(confirmed.alertEvents.map((event) => `${event.type} ${event.rule}`)).toEqual(["fired members-down"]);
    expect(confirmed.incidents.map((incident) => incident.id)).toEqual(["2026-11-20-1001-members-down"]);
    expect(hooks.requests.length).toBe(before + 1);
    await target.close();
  });

  test("an outage fires, the channel being down holds the message, the next cycle delivers it, recovery resolves", async () => {
    let healthy = true;
    const target = await serveHttp((_, response) => response.writeHead(healthy ? 200 : 503).end());
    const { root } = await probeWorkspace([httpCheck("members-health", `${target.url}/health`)], {
      routes: [{ id: "ops-hook", channel: "webhook", url: "${env:HOOK_URL}", secret: "${env:HOOK_SECRET}" }],
      severityRoutes: { high: ["ops-hook"] },
    });
    await put(root, "checks/alert-rules.yaml", stringify({ rules: [{ id: "members-down", description: "Members API is down.", severity: "high", checks: ["members-health"], condition: { type: "state", state: "down", for: 2 } }] }));
    const { workspace } = await loadWorkspace(root);
    const clock = manualClock(T0);
    const env = { HOOK_URL: `${hooks.url}/ops`, HOOK_SECRET: "hook-secret-value" };
    const cycle = async (minute: number, up: boolean) => {
      healthy = up;
      clock.set(new Date(Date.parse(T0) + minute * MINUTE));
      return runProbeCycle({ root, workspace: workspace!, clock, env, region: "local", runId: `run-${minute}` });
    };

    await cycle(0, true);
    await cycle(1, false);
    hooks.replyNext(1, { status: 502 });
    const before = hooks.requests.length;
    const fired = await cycle(2, false);
    expect(fired.alertEvents.map((event) => `${event.type} ${event.rule}`)).toEqual(["fired members-down"]);
    expect(fired.deliveries.map((outcome) => outcome.ok)).toEqual([false]);
    let state = await readState(root, clock.now());
    expect(state.alerts["members-down"]).toMatchObject({ state: "firing", onsetAt: "2026-11-20T10:01:00.000Z", notifiedRoutes: ["ops-hook"] });
    expect(state.outbox[0]).toMatchObject({ status: "retrying", attempts: 1 });
    expect(state.outbox[0]!.lastError).not.toContain("hook-secret-value");
    // A high alert opens a SEV-2 incident (one per outage, named after the backdated start); the alert links to it.
    expect(fired.written).toContain("incidents/2026-11-20-1001-members-down.md");
    expect(state.alerts["members-down"]!.incident).toBe("2026-11-20-1001-members-down");
    expect(state.outbox[0]!.items[0]!.incident).toBe("2026-11-20-1001-members-down");

    const retried = await cycle(3, false);
    expect(retried.deliveries.map((outcome) => outcome.ok)).toEqual([true]);
    await cycle(4, true);
    const resolved = await cycle(5, true);
    expect(resolved.alertEvents.map((event) => event.type)).toEqual(["cleared"]);
    const bodies = hooks.requests.slice(before).map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => body.items.map((item: { kind: string }) => item.kind).join())).toEqual(["trigger", "trigger", "resolve"]);
    expect(bodies[2].items[0]).toMatchObject({ status: "Resolved", durationMs: 4 * MINUTE, lead: "Platform" });
    state = await readState(root, clock.now());
    expect(state.alerts["members-down"]!.state).toBe("ok");
    // Later cycles saw the incident the first one opened: one incident for the outage, now recovering.
    const incidents = (await loadWorkspace(root)).workspace!.incidents;
    expect(incidents.map((incident) => [incident.frontmatter.id, incident.frontmatter.status])).toEqual([["2026-11-20-1001-members-down", "monitoring"]]);
    expect(state.outbox.map((entry) => entry.status)).toEqual(["sent", "sent"]);

    const { entries } = await readLog(root, new Date(T0), new Date(Date.parse(T0) + 10 * MINUTE));
    expect(entries.filter((entry) => entry.service === "alerting").map((entry) => entry.message)).toEqual([
      "alert members-down fired → ops-hook",
      expect.stringMatching(/^notification to ops-hook failed: HIGH firing: Members API: members-down$/),
      expect.stringMatching(/^notification to ops-hook sent: HIGH firing/),
      "alert members-down cleared → ops-hook",
      expect.stringMatching(/^notification to ops-hook sent: HIGH resolved/),
    ]);
    await target.close();
  });
});
