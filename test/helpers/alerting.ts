/**
 * Small worlds for alerting tests: providers, rules and config parsed through the real schemas (so defaults
 * are the ones users get), samples built by run, and a driver that evaluates run after run with a clock.
 */
import { evaluateRules } from "../../scripts/core/alerts/evaluate.ts";
import type { AlertEvent } from "../../scripts/core/alerts/events.ts";
import { planNotifications } from "../../scripts/core/alerts/plan.ts";
import { advanceChecks } from "../../scripts/core/check-state.ts";
import { allChecks, normaliseProvider, type Incident } from "../../scripts/core/model.ts";
import type { AlertState, CheckState, Notification, Sample } from "../../scripts/core/schema/records.ts";
import { alertRulesFile, configFile, incidentFrontmatter, providerFile, type AlertRule, type Config } from "../../scripts/schemas.ts";
import type { Provider } from "../../scripts/workspace.ts";

export const MINUTE = 60_000;

export function makeProvider(id: string, checks: Record<string, unknown>[], extra: Record<string, unknown> = {}): Provider {
  const file = providerFile.parse({
    id,
    name: extra.name ?? id,
    lane: "api",
    owner: "Platform",
    kind: "system",
    readiness: "live",
    protects: `What ${id} protects`,
    recovery: `Recover ${id}`,
    evidence: { note: "Evidence." },
    checks: checks.map((check) => (check.type && check.type !== "http" ? { cadence: "1m", ...check } : { type: "http", url: "http://127.0.0.1:1/", cadence: "1m", ...check })),
    ...extra,
  });
  return normaliseProvider(file, configFile.shape.defaults.parse(undefined));
}

export function makeRule(rule: Record<string, unknown>): AlertRule {
  return alertRulesFile.parse({ rules: [{ id: "rule", description: "Something is wrong.", severity: "high", ...rule }] }).rules[0]!;
}

const ROUTES = ["pager", "backup", "lead", "founder", "chat", "mail"].map((id) => ({ id, channel: "webhook", url: `http://127.0.0.1:1/${id}` }));

export function makeConfig(extra: Record<string, unknown> = {}): Config {
  return configFile.parse({
    page: { title: "Test" },
    lanes: [{ id: "api" }],
    routes: ROUTES,
    severityRoutes: { critical: ["pager", "chat"], high: ["chat", "mail"], warning: ["chat"], info: ["mail"] },
    ...extra,
  }) as Config;
}

export function makeIncident(frontmatter: Record<string, unknown>): Incident {
  const parsed = incidentFrontmatter.parse({ title: "Planned work", providers: ["api"], ...frontmatter });
  return { file: `incidents/${parsed.id}.md`, frontmatter: parsed, body: "" };
}

export function sample(check: string, at: Date | string, state: Sample["state"], extra: Partial<Sample> = {}): Sample {
  const iso = typeof at === "string" ? at : at.toISOString();
  return { at: iso, check, region: "eu", run: iso, state, ...extra };
}

/** One sample per minute from `start`, the state of each minute given as a string: u=up, d=down, g=degraded, e=error, .=none. */
export function minutes(check: string, start: string, pattern: string, extra: (index: number) => Partial<Sample> = () => ({})): Sample[] {
  const begin = Date.parse(start);
  const states = { u: "up", d: "down", g: "degraded", e: "error" } as const;
  return [...pattern].flatMap((char, index) =>
    char === "." ? [] : [sample(check, new Date(begin + index * MINUTE), states[char as keyof typeof states], { latencyMs: 100, ...extra(index) })],
  );
}

export interface World {
  rules: AlertRule[];
  providers: Provider[];
  config?: Config;
  incidents?: Incident[];
  checks?: Record<string, CheckState>;
}

export interface Run {
  at: string;
  events: AlertEvent[];
  alerts: Record<string, AlertState>;
  notifications: Notification[];
}

/**
 * Evaluates at each time in `at` with every sample up to then, carrying alert state and the outbox along.
 * `between(run)` may change the world (acknowledge, edit a rule) before the next run.
 */
export function drive(world: World, samples: readonly Sample[], at: readonly (string | Date)[], between: (run: Run, world: World) => void = () => {}): Run[] {
  const config = world.config ?? makeConfig();
  let alerts: Record<string, AlertState> = {};
  let outbox: Notification[] = [];
  let checks = world.checks ?? {};
  const runs: Run[] = [];
  for (const when of at) {
    const now = new Date(when);
    const seen = samples.filter((entry) => Date.parse(entry.at) <= now.getTime());
    // Check states advance as in a probe run, so state rules see confirmed states.
    checks = advanceChecks(allChecks(world), checks, seen, now, { stale: config.page.stale }).checks;
    const outcome = evaluateRules({
      now,
      rules: world.rules,
      config,
      providers: world.providers,
      samples: seen,
      checks,
      incidents: world.incidents ?? [],
      alerts,
    });
    alerts = outcome.alerts;
    const before = new Set(outbox.map((entry) => entry.key));
    outbox = planNotifications({ now, events: outcome.events, rules: world.rules, providers: world.providers, routes: config.routes, alerts, outbox });
    const run = { at: now.toISOString(), events: outcome.events, alerts, notifications: outbox.filter((entry) => !before.has(entry.key)) };
    runs.push(run);
    between(run, world);
    alerts = run.alerts;
  }
  return runs;
}

/** `fired rule → chat, mail` lines: what a run did, readable in a table. */
export function summary(runs: readonly Run[]): string[] {
  return runs.flatMap((run) => run.events.map((event) => `${run.at.slice(11, 16)} ${event.type} ${event.rule}${event.routes.length ? ` → ${event.routes.join(", ")}` : ""}`));
}

/** Times every minute from `start` for `count` minutes. */
export function everyMinute(start: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => new Date(Date.parse(start) + index * MINUTE).toISOString());
}
