/**
 * Scenario workspaces for the public site: the example configuration with history (scripts/bench/
 * status-world.ts), then either canaries in every internal field or hostile text in every public one.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { writeExampleHistory, writeIncident } from "../../scripts/bench/status-world.ts";
import { manualClock } from "../../scripts/core/clock.ts";
import { appendLog } from "../../scripts/store/runlog.ts";
import { appendSamples } from "../../scripts/store/samples.ts";
import { readState, writeState } from "../../scripts/store/state.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace } from "../helpers/workspace.ts";

/** A Friday morning; the recurring maintenance of the example runs on Sunday nights. */
export const NOW = new Date("2026-11-20T10:30:00Z");

type Yaml = Record<string, unknown>;

async function editYaml(root: string, file: string, change: (data: Yaml) => void): Promise<void> {
  const path = join(root, file);
  const data = parse(await readFile(path, "utf8")) as Yaml;
  change(data);
  await writeFile(path, stringify(data));
}

export async function workspaceWithHistory(): Promise<string> {
  const root = await exampleWorkspace();
  const { workspace, problems } = await loadWorkspace(root);
  if (!workspace) throw new Error(problems.map((problem) => problem.message).join("\n"));
  await writeExampleHistory(root, NOW, workspace.providers);
  return root;
}

export async function servePathFrom(root: string, basePath: string, url: string): Promise<void> {
  await editYaml(root, "checks/signalroom.yaml", (config) => {
    Object.assign(config.page as Yaml, { basePath, url });
  });
}

/** The secret the build's environment holds for `${env:APP_BASE_URL}`; it must never be read. */
export const SECRET_ENV = { APP_BASE_URL: "https://canary-secret-env.example", DATABASE_URL: "postgres://canary:canary-db-password@db/app" };

/** Puts a canary into every internal field: providers, checks, routes, rules, incidents, state, samples, run log. */
export async function plantCanaries(root: string): Promise<void> {
  for (const name of await readdir(join(root, "checks/providers"))) {
    await editYaml(root, `checks/providers/${name}`, (provider) => {
      provider.name = `Canary internal name ${provider.id}`;
      provider.owner = "Canary owner";
      provider.recovery = "Canary recovery action";
      for (const field of ["protects", "consumer", "destination"]) if (provider[field]) provider[field] = `Canary ${field}`;
      provider.escalation = ["Canary escalation step"];
      provider.evidence = { note: "Canary evidence note", links: [{ title: "Canary dashboard", url: "https://canary-dashboard.example/d" }] };
      provider.readinessTasks = [{ task: "Canary readiness task", done: false }];
      if (provider.runbook) {
        Object.assign(provider.runbook as Yaml, { problem: "Canary runbook problem", detection: "Canary detection", immediate: ["Canary immediate"], diagnosis: ["Canary diagnosis"], resolution: ["Canary resolution"], prevention: ["Canary prevention"] });
      }
      for (const check of (provider.checks as Yaml[] | undefined) ?? []) {
        check.name = `Canary check name ${check.id}`;
        check.description = "Canary check description";
        if (check.type === "http" || check.type === "json") {
          check.url = "https://canary-target.example/health";
          check.headers = { authorization: "Bearer ${env:CANARY_TOKEN}", "x-canary": "canary-header" };
        }
      }
    });
  }
  await editYaml(root, "checks/signalroom.yaml", (config) => {
    for (const lane of config.lanes as Yaml[]) lane.description = "Canary lane description";
    for (const route of config.routes as Yaml[]) {
      route.description = "Canary route description";
      if (route.channel === "email") route.to = ["canary-route@example.com"];
    }
  });
  await editYaml(root, "checks/alert-rules.yaml", (rules) => {
    for (const rule of rules.rules as Yaml[]) rule.description = "Canary alert rule description";
  });
  await writeIncident(
    root,
    {
      id: "payments-delayed",
      title: "Card payments are delayed",
      severity: "SEV-1",
      status: "identified",
      providers: ["payment-webhooks", "payment.failed"],
      impact: "major",
      components: { "payment-webhooks": "partial_outage" },
      started: "2026-11-20T09:48:00Z",
      detected: "2026-11-20T09:50:00Z",
      acknowledged: "2026-11-20T09:52:00Z",
      commander: "Canary commander",
      updates: [{ at: "2026-11-20T09:55:00Z", status: "investigating", message: "Some card payments are delayed." }],
      evidence: [{ note: "Canary incident evidence", url: "https://canary-logs.example/q", check: "stripe-webhook" }],
      prevention: [{ task: "Canary prevention task", owner: "Canary task owner" }],
      postmortem: { summary: "Canary post-mortem summary", rootCause: "Canary root cause", wentWell: ["Canary went well"], needsImprovement: ["Canary needs improvement"], actionItems: [{ task: "Canary action item", owner: "Canary action owner" }], lessons: ["Canary lesson"] },
      automated: { rule: "canary-rule-id", key: "canary-outage-key" },
    },
    "Canary internal narrative: the pager went off at 09:50.",
  );
  // Incidents customers must not see at all: on a provider without a public face, and a silent blip.
  await writeIncident(root, { id: "hidden-incident", title: "Canary hidden incident title", severity: "SEV-2", status: "investigating", providers: ["resend"], impact: "major", started: "2026-11-20T08:00:00Z" });
  await writeIncident(root, {
    id: "silent-blip",
    title: "Canary blip title",
    severity: "SEV-4",
    status: "resolved",
    providers: ["postgres-database"],
    started: "2026-11-19T08:00:00Z",
    resolved: "2026-11-19T08:03:00Z",
    automated: { rule: "database-unreachable", key: "canary-blip-key", blip: true },
  });
  const state = await readState(root, NOW);
  for (const check of Object.values(state.checks)) {
    Object.assign(check, { lastError: "Canary error text", failedConditions: [{ text: "[BODY].canary == ok", ok: false, actual: "canary-actual" }] });
  }
  state.lastRun = { ...state.lastRun!, id: "canary-run-id", region: "canary-region" };
  state.alerts["stripe-webhook-down"] = {
    hash: "canary-hash",
    state: "firing",
    since: NOW.toISOString(),
    detail: "Canary alert detail",
    checks: ["stripe-webhook"],
    notifiedRoutes: ["ops-discord"],
    escalationStep: 1,
    episode: "canary-episode",
    acknowledgedBy: "canary-acknowledger",
    muted: "canary-muted-reason",
  };
  state.outbox.push({
    key: "canary-key",
    route: "ops-discord",
    createdAt: NOW.toISOString(),
    severity: "critical",
    title: "Canary notification title",
    items: [
      {
        id: "canary-item",
        alert: "canary-episode",
        kind: "trigger",
        severity: "critical",
        title: "Canary item title",
        status: "Canary status",
        impact: "Canary impact",
        startedAt: NOW.toISOString(),
        lead: "Canary lead",
        next: ["Canary next step"],
        providers: [],
      },
    ],
    delivered: [],
    attempts: 1,
    status: "retrying",
    lastError: "Canary delivery error",
  });
  await writeState(root, state);
  await appendSamples(root, [{ at: "2026-11-20T10:29:00Z", check: "stripe-webhook", region: "canary-region", run: "canary-run-id", state: "down", error: "Canary sample error https://canary-target.example", status: 503, latencyMs: 20 }]);
  await appendLog(root, [{ at: "2026-11-20T10:29:00Z", level: "error", service: "canary-service", message: "Canary run log message", run: "canary-run-id", requestId: "canary-request-id", context: { secret: "canary-log-secret" } }]);
}

/** Hostile text in every public field: page, component names and groups, incident titles, updates, summaries. */
export const HOSTILE = {
  name: `Pay"><img src=x onerror="window.__pwned=1">ments`,
  group: `</style><script>window.__pwned=1</script>Billing & Co`,
  title: `<svg onload="window.__pwned=1"></svg>Outage ]]> & <b>"quotes"</b>`,
  message: [
    "Plain <script>window.__pwned=1</script> text.",
    "<img src=x onerror=window.__pwned=1> [a link](javascript:window.__pwned=1) <a href=\"javascript:window.__pwned=1\">raw</a>",
    "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe><style>body{display:none}</style>",
    "<details open ontoggle=\"window.__pwned=1\">x</details> ]]></content:encoded><script>window.__pwned=1</script>",
    "[data](data:text/html,<script>window.__pwned=1</script>) <form action=\"javascript:window.__pwned=1\"><button>go</button></form>",
  ].join("\n\n"),
};

export async function plantHostile(root: string): Promise<void> {
  await editYaml(root, "checks/signalroom.yaml", (config) => {
    (config.page as Yaml).title = `Status <script>window.__pwned=1</script>`;
  });
  await editYaml(root, "checks/providers/payment-webhooks.yaml", (provider) => {
    Object.assign(provider.public as Yaml, { name: HOSTILE.name, group: HOSTILE.group, description: HOSTILE.message.slice(0, 60) });
  });
  await writeIncident(root, {
    id: "hostile",
    title: HOSTILE.title,
    severity: "SEV-2",
    status: "investigating",
    providers: ["payment-webhooks"],
    impact: "critical",
    components: { "payment-webhooks": "major_outage" },
    started: "2026-11-20T09:00:00Z",
    summary: HOSTILE.message,
    updates: [{ at: "2026-11-20T09:10:00Z", status: "investigating", message: HOSTILE.message }],
  });
}

export interface BuiltSite {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Builds the public site of a workspace at NOW. The output outlives single tests (a scenario builds once in
 * beforeAll and checks many things); the caller removes it in afterAll.
 */
export async function buildPublic(root: string, env: NodeJS.ProcessEnv = {}): Promise<BuiltSite> {
  const out = await mkdtemp(join(tmpdir(), "signalroom-public-"));
  const result = await runCli(["build", "--root", root, "--out", out, "--only", "public"], env, { clock: manualClock(NOW) });
  if (result.code !== 0) throw new Error(`build failed:\n${result.stderr}`);
  return { dir: join(out, "public"), remove: () => rm(out, { recursive: true, force: true }) };
}

/** Every file under a folder, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1)).sort();
}
