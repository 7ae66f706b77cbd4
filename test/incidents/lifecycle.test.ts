import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Transition } from "../../scripts/core/check-state.ts";
import { automaticTitle, symptomOf } from "../../scripts/core/communication.ts";
import { planIncidents, type AlertEvent, type IncidentEdit, type LifecycleInput } from "../../scripts/core/incident-lifecycle.ts";
import type { Incident } from "../../scripts/core/model.ts";
import { serialiseIncident } from "../../scripts/store/incidents.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { exampleWorkspace } from "../helpers/workspace.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-16T10:45:00Z");
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString().replace(".000Z", "Z");

const fired = (minutes: number, extra: Partial<AlertEvent> = {}): AlertEvent => ({
  type: "fired",
  rule: "stripe-webhook-down",
  severity: "critical",
  incident: { severity: "SEV-1" },
  symptom: "requests failing",
  checks: ["stripe-webhook"],
  providers: ["payment-webhooks"],
  at: at(minutes),
  since: at(0),
  detail: "[STATUS] == 200 ✗ got 503",
  ...extra,
});
const cleared = (minutes: number, rule = "stripe-webhook-down"): AlertEvent => ({
  type: "cleared",
  rule,
  severity: "critical",
  checks: ["stripe-webhook"],
  providers: ["payment-webhooks"],
  at: at(minutes),
  since: at(minutes - 1),
});

/** Feeds one run's events to the planner on top of the incidents so far, like consecutive probe runs. */
function run(incidents: Incident[], minutes: number, events: AlertEvent[], firing: string[], transitions: Transition[] = []): { incidents: Incident[]; edits: IncidentEdit[] } {
  const input: LifecycleInput = {
    incidents,
    events,
    transitions,
    firing: new Set(firing),
    publicNames: new Map([["payment-webhooks", "Payments"]]),
    settings: { recoveryWindow: 15 * MIN, blip: 15 * MIN },
    now: new Date(T0 + minutes * MIN),
  };
  const edits = planIncidents(input);
  const next = new Map(incidents.map((incident) => [incident.file, incident]));
  for (const edit of edits) next.set(edit.file, { file: edit.file, frontmatter: edit.frontmatter, body: edit.body });
  return { incidents: [...next.values()], edits };
}

describe("automatic incident lifecycle", () => {
  test("a confirmed outage opens one incident named after the rule and the backdated start, with the rule's severity", () => {
    const { edits } = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    expect(edits).toHaveLength(1);
    const [edit] = edits;
    expect(edit!.file).toBe("incidents/2026-11-16-1045-stripe-webhook-down.md");
    expect(edit!.opened).toBe(true);
    expect(edit!.frontmatter).toMatchObject({
      severity: "SEV-1",
      status: "investigating",
      impact: "critical",
      components: { "payment-webhooks": "major_outage" },
      started: at(0),
      detected: at(2),
      automated: { rule: "stripe-webhook-down", key: "stripe-webhook-down@2026-11-16T10:45:00.000Z", blip: false },
      evidence: [{ note: "Alert rule stripe-webhook-down fired: [STATUS] == 200 ✗ got 503", check: "stripe-webhook", at: at(0) }],
    });
    expect(edit!.frontmatter.title).toBe("Payments: requests failing");
    expect(edit!.frontmatter.updates).toEqual([
      { at: at(2), status: "investigating", message: "We are investigating problems with Payments. Payments is unavailable. We will post another update within 30 minutes." },
    ]);
    // The public message is owner-safe: no check id, no error text, no rule name.
    expect(edit!.frontmatter.updates[0]!.message).not.toMatch(/stripe-webhook|503|STATUS/);
    expect(edit!.body).toContain("## Timeline");
    expect(edit!.body).toContain(`- ${at(2)} — Alert rule \`stripe-webhook-down\` fired: [STATUS] == 200 ✗ got 503.`);
  });

  test("two runs racing on the same outage write the same file, and a later run joins it instead of opening another", () => {
    const a = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    const b = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    expect(a.edits.map((edit) => serialiseIncident(edit))).toEqual(b.edits.map((edit) => serialiseIncident(edit)));
    // The loser re-plans on the winner's tree: the rule is already linked, nothing new is opened.
    const again = run(a.incidents, 2, [fired(2, { since: at(1) })], ["stripe-webhook-down"]);
    expect(again.incidents).toHaveLength(1);
    expect(again.edits.every((edit) => !edit.opened)).toBe(true);
  });

  test("recovery moves it to monitoring, and a quiet recovery window resolves it; short and unacknowledged is a blip, kept", () => {
    let state = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    state = run(state.incidents, 6, [cleared(6)], []);
    let fm = state.incidents[0]!.frontmatter;
    expect(fm.status).toBe("monitoring");
    expect(fm.mitigated).toBe(at(5));
    expect(fm.updates.at(-1)).toMatchObject({ status: "monitoring", at: at(6) });

    state = run(state.incidents, 15, [], []);
    expect(state.edits).toEqual([]);
    state = run(state.incidents, 20, [], []);
    fm = state.incidents[0]!.frontmatter;
    expect(fm).toMatchObject({ status: "resolved", resolved: at(5), automated: { blip: true } });
    expect(fm.updates.at(-1)!.message).toBe(
      "Between 10:45 UTC and 10:50 UTC, Payments was unavailable or failing for many requests. The problem is resolved and service is operating normally. No action is required from you.",
    );
    expect(state.incidents).toHaveLength(1);
  });

  test("an acknowledged or long outage is not a blip", () => {
    let state = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    state.incidents[0]!.frontmatter.acknowledged = at(3);
    state = run(state.incidents, 6, [cleared(6)], []);
    state = run(state.incidents, 30, [], []);
    expect(state.incidents[0]!.frontmatter.automated!.blip).toBe(false);

    let long = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    long = run(long.incidents, 40, [cleared(40)], []);
    long = run(long.incidents, 60, [], []);
    expect(long.incidents[0]!.frontmatter).toMatchObject({ status: "resolved", automated: { blip: false } });
  });

  test("a relapse during monitoring reopens the same incident", () => {
    let state = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    state = run(state.incidents, 6, [cleared(6)], []);
    state = run(state.incidents, 9, [fired(9, { since: at(8) })], ["stripe-webhook-down"]);
    expect(state.incidents).toHaveLength(1);
    const fm = state.incidents[0]!.frontmatter;
    expect(fm.status).toBe("investigating");
    expect(fm.mitigated).toBeUndefined();
    expect(fm.updates.map((update) => update.status)).toEqual(["investigating", "monitoring", "investigating"]);
    expect(state.incidents[0]!.body).toContain("Relapse: rule `stripe-webhook-down` fired again");
  });

  test("another rule firing on the same provider joins the incident, raises its severity, and recovery waits for both", () => {
    let state = run([], 2, [fired(2, { rule: "order-scenario-down", severity: "high", incident: { severity: "SEV-2" } })], ["order-scenario-down"]);
    state = run(state.incidents, 3, [fired(3)], ["order-scenario-down", "stripe-webhook-down"]);
    expect(state.incidents).toHaveLength(1);
    let fm = state.incidents[0]!.frontmatter;
    expect(fm.automated).toMatchObject({ rule: "order-scenario-down", rules: ["stripe-webhook-down"] });
    expect(fm).toMatchObject({ severity: "SEV-1", impact: "critical", components: { "payment-webhooks": "major_outage" } });
    state = run(state.incidents, 5, [cleared(5, "order-scenario-down")], ["stripe-webhook-down"]);
    fm = state.incidents[0]!.frontmatter;
    expect(fm.status).toBe("investigating");
    expect(state.incidents[0]!.body).toContain("(still firing: stripe-webhook-down)");
    state = run(state.incidents, 7, [cleared(7)], []);
    expect(state.incidents[0]!.frontmatter.status).toBe("monitoring");
  });

  test("warnings, info and rules with `incident: false` open nothing; escalations and check transitions are recorded", () => {
    expect(run([], 2, [fired(2, { severity: "warning", incident: undefined })], []).edits).toEqual([]);
    expect(run([], 2, [fired(2, { incident: false })], []).edits).toEqual([]);
    expect(run([], 2, [fired(2, { severity: "high", incident: undefined })], []).edits[0]!.frontmatter.severity).toBe("SEV-2");

    let state = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    state = run(state.incidents, 7, [{ ...fired(7), type: "escalation", step: 2 }], ["stripe-webhook-down"], [
      { check: "order-scenario", provider: "payment-webhooks", from: "up", to: "down", at: at(7), since: at(5) },
    ]);
    const [incident] = state.incidents;
    expect(incident!.body).toContain("escalation step 2 of rule `stripe-webhook-down` notified");
    expect(incident!.body).toContain(`- ${at(5)} — Check \`order-scenario\` is down (was up).`);
    expect(incident!.frontmatter.evidence.at(-1)).toEqual({ note: "order-scenario down", check: "order-scenario", at: at(5) });
  });

  test("an operator's edits survive automation: narrative, status and fields are kept", () => {
    let state = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    const incident = state.incidents[0]!;
    incident.frontmatter.status = "identified";
    incident.frontmatter.commander = "alice";
    incident.body = `Alice: failover to the backup endpoint started.\n\n${incident.body}`;
    state = run(state.incidents, 8, [{ ...fired(8), type: "escalation", step: 1 }], ["stripe-webhook-down"]);
    const after = state.incidents[0]!;
    expect(after.frontmatter).toMatchObject({ status: "identified", commander: "alice" });
    expect(after.body.startsWith("Alice: failover to the backup endpoint started.")).toBe(true);
  });

  test("every file the planner writes passes npm run validate", async () => {
    const root = await exampleWorkspace();
    let state = run([], 2, [fired(2)], ["stripe-webhook-down"]);
    state = run(state.incidents, 6, [cleared(6)], []);
    state = run(state.incidents, 30, [], []);
    for (const incident of state.incidents) await writeFile(join(root, incident.file), serialiseIncident(incident));
    const { problems, workspace } = await loadWorkspace(root);
    expect(problems).toEqual([]);
    expect(workspace!.incidents[0]!.frontmatter).toEqual(state.incidents[0]!.frontmatter);
    expect(await readFile(join(root, state.incidents[0]!.file), "utf8")).toContain("blip: true");
  });
});

describe("automatic titles", () => {
  test("name the component and the symptom of the rule's condition, never a vague phrase", () => {
    const title = (condition: { type: string; state?: string }, names: string[] = ["Payments"]) => automaticTitle(names, symptomOf(condition));
    expect(title({ type: "state", state: "down" })).toBe("Payments: requests failing");
    expect(title({ type: "errorRate" })).toBe("Payments: requests failing");
    expect(title({ type: "state", state: "degraded" })).toBe("Payments: slow or degraded responses");
    expect(title({ type: "latency" }, ["Payments", "Login"])).toBe("Payments and Login: slow responses");
    expect(title({ type: "absence" }, ["AI decision log"])).toBe("AI decision log: not reporting");
    expect(title({ type: "metric" })).toBe("Payments: degraded service");
    expect(title({ type: "anomaly" }, [])).toBe("Internal service: unusual behaviour");
  });
});
