/**
 * The room screen (seed 000) as a view model: counters, lane cards, the signal queue with each
 * provider's evidence and breakdown, priority recovery, the runbook linked to live data and the three
 * durable tables. Built on buildRoom (scripts/core/room.ts); only wording and links are added here.
 */
import { routesFor } from "../../../scripts/core/alerts/evaluate.ts";
import { closeGateGaps } from "../../../scripts/core/close-gate.ts";
import { probeFreshness } from "../../../scripts/core/freshness.ts";
import type { CheckBase, Incident, Provider } from "../../../scripts/core/model.ts";
import { httpHref } from "../../../scripts/core/schema/common.ts";
import { buildRoom, type RoomProvider } from "../../../scripts/core/room.ts";
import type { SignalClass } from "../../../scripts/core/signal.ts";
import { t, type StringKey } from "../../shared/strings.ts";
import { fill, latency, moment, optionalMoment, points, span, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";
import { within } from "./stats.ts";
import { describeCondition, describeWindow, quietHoursOf } from "./rules.ts";

export interface QueueEntry {
  id: string;
  name: string;
  lane: string;
  owner: string;
  score: number;
  class: SignalClass;
  classLabel: string;
  lastSignal: { moment: Moment } | { phrase: string };
  /** What it protects, or "Consumer: …" / "Destination: …". */
  protects: string;
  recovery: string;
  escalation: string[];
  /** `href` only for http(s) links: anything else is shown as text, never made clickable. */
  evidence: { label: string; value: string; status: string; note: string; links: { title: string; url: string; href?: string }[] };
  breakdown: { factor: string; points: string; detail: string }[];
}

export interface RunbookStep {
  name: string;
  text: string;
  href: string;
  live: string;
}

export interface RoomView {
  counters: { key: string; label: string; value: string; note: string }[];
  lanes: { id: string; name: string; signals: number; blocked: number; watch: number; planned: number; average: number; action: string; actionFrom?: string }[];
  queue: QueueEntry[];
  priority: { id: string; name: string; recovery: string; score: number; classLabel: string; measured: boolean }[];
  runbook: RunbookStep[];
  tables: {
    checks: { provider: string; providerId: string; check: string; type: string; status: string; latency: string; lastError: string; lastSuccess?: Moment; cadence: string }[];
    incidents: { id: string; title: string; impact: string; owner: string; providers: string; timeline: string; comms: string; recovery: string; prevention: string }[];
    rules: { id: string; threshold: string; severity: string; routes: string; quietHours: string; suppressUntil?: Moment }[];
  };
}

const CLASS_LABEL: Record<SignalClass, StringKey> = {
  operational: "class.operational",
  degraded: "class.degraded",
  blocked: "class.blocked",
  planned: "class.planned",
};

export function classLabel(signalClass: SignalClass): string {
  return t(CLASS_LABEL[signalClass]);
}

/** The seed's "Last signal" phrase for a provider whose signal rests on readiness alone. */
export function readinessPhrase(provider: Pick<Provider, "kind" | "readiness">): string {
  return t(`phrase.${provider.kind}.${provider.readiness}` as StringKey);
}

/**
 * The seed's evidence status: planned and documented providers show their readiness; measured ones
 * show how they are doing — systems in health words (healthy, watch), the rest in readiness words
 * until something needs attention; anything blocked is failing.
 */
export function evidenceStatus(provider: Pick<Provider, "kind" | "readiness">, signalClass: SignalClass): string {
  if (signalClass === "blocked") return t("evidence.failing");
  if (provider.readiness === "planned" || provider.readiness === "documented") return t(`readiness.${provider.readiness}`);
  if (signalClass === "degraded") return provider.kind === "system" ? t("evidence.watch") : t("evidence.attention");
  return provider.kind === "system" ? t("evidence.healthy") : t(`readiness.${provider.readiness}`);
}

function protectsLine(provider: Provider): string {
  if (provider.kind === "api") return `${t("evidence.consumer")}: ${provider.consumer ?? "–"}`;
  if (provider.kind === "webhook") return `${t("evidence.destination")}: ${provider.destination ?? "–"}`;
  return provider.protects ?? "–";
}

function evidenceLabel(provider: Provider): { label: string; value: string } {
  switch (provider.kind) {
    case "system":
      return { label: t("evidence.system"), value: provider.name };
    case "integration":
      return { label: t("evidence.category"), value: provider.lane };
    case "api":
      return { label: t("evidence.consumer"), value: provider.consumer ?? "–" };
    case "webhook":
      return { label: t("evidence.destination"), value: provider.destination ?? "–" };
  }
}

function queueEntry(entry: RoomProvider, now: Date, timeZone: string): QueueEntry {
  const { provider, signal } = entry;
  return {
    id: provider.id,
    name: provider.name,
    lane: provider.lane,
    owner: provider.owner,
    score: signal.score,
    class: signal.class,
    classLabel: classLabel(signal.class),
    lastSignal: signal.lastSignalAt ? { moment: moment(signal.lastSignalAt, now, timeZone) } : { phrase: readinessPhrase(provider) },
    protects: protectsLine(provider),
    recovery: provider.recovery,
    escalation: provider.escalation,
    evidence: { ...evidenceLabel(provider), status: evidenceStatus(provider, signal.class), note: provider.evidence.note, links: provider.evidence.links.map((link) => ({ ...link, href: httpHref(link.url) })) },
    breakdown: signal.breakdown.map((item) => ({ factor: item.factor, points: points(item.points), detail: item.detail })),
  };
}

/**
 * The signals of every provider. Only samples inside the signal window can count, so only those are
 * handed to the core: the room's data holds a week of samples for the other screens.
 */
export function signalRoom<C extends CheckBase>({ model, state, samples, now }: RoomData<C>) {
  return buildRoom(model, state, within(samples, model.config.signals.window, now), now);
}

/** The warning every screen carries while probe runs have stopped landing (the watchdog's verdict). */
export function staleWarning<C extends CheckBase>({ model, state, now }: RoomData<C>): string | undefined {
  const freshness = probeFreshness([state.lastRun?.at], model.config.defaults.cadence, model.config.page.stale, now);
  return freshness.stale ? freshness.message : undefined;
}

function isOpen(incident: Incident): boolean {
  return !["resolved", "completed"].includes(incident.frontmatter.status);
}

export function buildRoomView<C extends CheckBase>(data: RoomData<C>, href: Href): RoomView {
  const { model, state, now } = data;
  const room = signalRoom(data);
  const timeZone = model.config.page.timezone;
  const providerName = (id: string) => model.providers.find((provider) => provider.id === id)?.name ?? id;
  const alerts = Object.values(state.alerts);
  const firing = alerts.filter((alert) => alert.state === "firing" && !alert.muted).length;
  const silenced = alerts.filter((alert) => alert.state === "firing" && alert.muted).length;
  const acknowledged = alerts.filter((alert) => alert.state === "firing" && alert.acknowledgedAt).length;
  const incidents = model.incidents.filter((incident) => incident.frontmatter.kind === "incident");
  const open = incidents.filter(isOpen);
  const gated = incidents.filter((incident) => !incident.frontmatter.closed && closeGateGaps(incident.frontmatter).length > 0).length;
  const checks = model.providers.flatMap((provider) => provider.checks.map((check) => ({ provider, check })));
  const lastRun = state.lastRun ? moment(state.lastRun.at, now, timeZone) : undefined;

  return {
    counters: [
      { key: "operational", label: t("room.operational"), value: String(room.counters.operational), note: t("room.operational.note") },
      { key: "degraded", label: t("room.degraded"), value: String(room.counters.degraded), note: t("room.degraded.note") },
      { key: "blocked", label: t("room.blocked"), value: String(room.counters.blocked), note: t("room.blocked.note") },
      { key: "signal", label: t("room.signal"), value: `${room.counters.average}%`, note: t("room.signal.note") },
    ],
    lanes: room.lanes.map((lane) => ({ ...lane, actionFrom: lane.actionFrom ? providerName(lane.actionFrom) : undefined })),
    queue: room.queue.map((entry) => queueEntry(entry, now, timeZone)),
    priority: room.priority.map((entry) => ({
      id: entry.id,
      name: entry.name,
      recovery: entry.recovery,
      score: entry.signal.score,
      classLabel: classLabel(entry.signal.class),
      measured: entry.signal.basis === "samples",
    })),
    runbook: [
      {
        name: t("runbook.observe"),
        text: t("runbook.observe.text"),
        href: href("dashboard/"),
        live: fill(t("runbook.observe.live"), { checks: checks.length, last: lastRun ? lastRun.relative.toLowerCase() : t("runbook.never") }),
      },
      { name: t("runbook.alert"), text: t("runbook.alert.text"), href: href("alerts/"), live: fill(t("runbook.alert.live"), { firing, acknowledged, silenced }) },
      {
        name: t("runbook.recover"),
        text: t("runbook.recover.text"),
        href: "#priority-recovery",
        live: fill(t("runbook.recover.live"), { count: room.priority.length }),
      },
      { name: t("runbook.close"), text: t("runbook.close.text"), href: href("incidents/"), live: fill(t("runbook.close.live"), { open: open.length, gated }) },
    ],
    tables: {
      checks: checks.map(({ provider, check }) => {
        const checkState = state.checks[check.id];
        return {
          provider: provider.name,
          providerId: provider.id,
          check: check.name,
          type: check.type,
          status: check.enabled ? (checkState?.status ?? "unknown") : t("check.disabled"),
          latency: latency(checkState?.lastLatencyMs),
          lastError: checkState?.lastError ?? "–",
          lastSuccess: optionalMoment(checkState?.lastSuccessAt, now, timeZone),
          cadence: span(check.cadence),
        };
      }),
      incidents: incidents.map(({ frontmatter }) => {
        const linked = model.providers.filter((provider) => frontmatter.providers.includes(provider.id));
        const done = frontmatter.prevention.filter((task) => task.done).length;
        return {
          id: frontmatter.id,
          title: frontmatter.title,
          impact: [frontmatter.severity, frontmatter.impact].filter(Boolean).join(" · "),
          owner: frontmatter.commander ?? [...new Set(linked.map((provider) => provider.owner))].join(", "),
          providers: linked.map((provider) => provider.name).join(", "),
          timeline: [frontmatter.started, frontmatter.resolved].map((at) => (at ? moment(at, now, timeZone).absolute : "…")).join(" → ") + ` (${frontmatter.status})`,
          comms: fill(t("table.incidents.updates"), { count: frontmatter.updates.length }),
          recovery: [...new Set(linked.map((provider) => provider.recovery))].join(" / "),
          prevention: frontmatter.prevention.length === 0 ? "–" : `${frontmatter.prevention[0]!.task} (${done}/${frontmatter.prevention.length} ${t("table.incidents.done")})`,
        };
      }),
      rules: model.rules.map((rule) => {
        const routes = routesFor(rule, rule.severity, model.config);
        const quiet = quietHoursOf(routes, model.config);
        return {
          id: rule.id,
          threshold: describeCondition(rule.condition) + (rule.activeDuring ? ` · ${t("rule.activeDuring")} ${describeWindow(rule.activeDuring)}` : ""),
          severity: rule.severity,
          routes: routes.join(", ") || "–",
          quietHours: quiet.length === 0 ? "–" : quiet.map((entry) => `${entry.route}: ${entry.window} (${entry.action})`).join("; "),
          suppressUntil: optionalMoment(rule.suppressUntil, now, timeZone),
        };
      }),
    },
  };
}
