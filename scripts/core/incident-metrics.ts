/**
 * Incident metrics computed from the incident files alone (playbook §6.3.4 checkpoint: MTTD, MTTR,
 * recurrence rate), for the operations room. Definitions (docs/incidents.md):
 * - MTTD, mean time to detect: started → detected.
 * - MTTA, mean time to acknowledge: detected → acknowledged (unacknowledged incidents are left out).
 * - MTTR, mean time to restore: started → resolved (not repair, respond or resolve-with-prevention).
 * - Recurrence rate: the share of incidents that started within `recurrenceWindow` after an earlier
 *   incident on one of the same providers had started.
 * Counted: incidents (not maintenance) that started inside the window before `now`.
 */
import type { Incident, IncidentFrontmatter } from "./model.ts";
import type { IncidentSeverity } from "./schema/enums.ts";

const DAY = 86_400_000;

export interface MeanDuration {
  /** Mean in milliseconds; undefined when no incident has both timestamps. */
  ms?: number;
  /** How many incidents it is the mean of. */
  of: number;
}

export interface ProviderIncidents {
  provider: string;
  incidents: number;
  open: number;
  /** started → resolved (or now while open), summed. */
  impactMs: number;
}

export interface IncidentMetrics {
  from: string;
  to: string;
  incidents: number;
  open: number;
  blips: number;
  bySeverity: Record<IncidentSeverity, number>;
  mttd: MeanDuration;
  mtta: MeanDuration;
  /** Mean time to restore: started → resolved. */
  mttr: MeanDuration;
  perProvider: ProviderIncidents[];
  recurrence: { rate?: number; recurring: number; of: number; windowMs: number };
}

export interface MetricsOptions {
  /** Incidents that started this long before `now` count (default 90 days). */
  window?: number;
  /** An incident within this time after an earlier one on the same provider recurs (default 30 days). */
  recurrenceWindow?: number;
}

const startOf = (fm: IncidentFrontmatter) => fm.started ?? fm.detected;

function mean(pairs: readonly (readonly [string | undefined, string | undefined])[]): MeanDuration {
  const spans = pairs.filter(([a, b]) => a && b).map(([a, b]) => Date.parse(b!) - Date.parse(a!));
  if (spans.length === 0) return { of: 0 };
  return { ms: Math.round(spans.reduce((sum, span) => sum + span, 0) / spans.length), of: spans.length };
}

export function incidentMetrics(incidents: readonly Incident[], now: Date, options: MetricsOptions = {}): IncidentMetrics {
  const window = options.window ?? 90 * DAY;
  const recurrenceWindow = options.recurrenceWindow ?? 30 * DAY;
  const to = now.getTime();
  const from = to - window;
  const all = incidents
    .map((incident) => incident.frontmatter)
    .filter((fm) => fm.kind === "incident" && startOf(fm) !== undefined)
    .sort((a, b) => Date.parse(startOf(a)!) - Date.parse(startOf(b)!));
  const counted = all.filter((fm) => {
    const start = Date.parse(startOf(fm)!);
    return start >= from && start <= to;
  });

  const perProvider = new Map<string, ProviderIncidents>();
  for (const fm of counted) {
    const span = Math.max(0, (fm.resolved ? Date.parse(fm.resolved) : to) - Date.parse(startOf(fm)!));
    for (const provider of fm.providers) {
      const entry = perProvider.get(provider) ?? { provider, incidents: 0, open: 0, impactMs: 0 };
      entry.incidents += 1;
      entry.open += fm.status === "resolved" ? 0 : 1;
      entry.impactMs += span;
      perProvider.set(provider, entry);
    }
  }

  const recurring = counted.filter((fm) => {
    const start = Date.parse(startOf(fm)!);
    return all.some((earlier) => {
      if (earlier === fm) return false;
      const gap = start - Date.parse(startOf(earlier)!);
      return gap > 0 && gap <= recurrenceWindow && earlier.providers.some((id) => fm.providers.includes(id));
    });
  }).length;

  const bySeverity: Record<IncidentSeverity, number> = { "SEV-1": 0, "SEV-2": 0, "SEV-3": 0, "SEV-4": 0 };
  for (const fm of counted) if (fm.severity) bySeverity[fm.severity] += 1;

  return {
    from: new Date(from).toISOString(),
    to: now.toISOString(),
    incidents: counted.length,
    open: counted.filter((fm) => fm.status !== "resolved").length,
    blips: counted.filter((fm) => fm.automated?.blip).length,
    bySeverity,
    mttd: mean(counted.map((fm) => [fm.started, fm.detected] as const)),
    mtta: mean(counted.map((fm) => [fm.detected, fm.acknowledged] as const)),
    mttr: mean(counted.map((fm) => [startOf(fm), fm.resolved] as const)),
    perProvider: [...perProvider.values()].sort((a, b) => b.incidents - a.incidents || a.provider.localeCompare(b.provider)),
    recurrence: { rate: counted.length ? recurring / counted.length : undefined, recurring, of: counted.length, windowMs: recurrenceWindow },
  };
}
