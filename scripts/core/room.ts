/**
 * The operations room's view model (seed 000): a signal per provider, the counters, lane cards, the
 * ranked signal queue and priority recovery. Pure: built from the model, live state and recent samples.
 */
import { tallyEvidence } from "./evidence.ts";
import type { CheckBase, Config, Incident, Provider } from "./model.ts";
import type { Sample, StateFile } from "./schema/records.ts";
import { computeSignal, summariseRoom, type RankedProvider, type RoomSummary } from "./signal.ts";

export interface RoomProvider<C extends CheckBase = CheckBase> extends RankedProvider {
  provider: Provider<C>;
}

export interface Room<C extends CheckBase = CheckBase> extends RoomSummary {
  providers: RoomProvider<C>[];
  queue: RoomProvider<C>[];
  priority: RoomProvider<C>[];
}

export function openIncidentsOf(incidents: readonly Incident[], provider: string): Incident[] {
  return incidents.filter(
    (incident) =>
      incident.frontmatter.kind === "incident" &&
      incident.frontmatter.status !== "resolved" &&
      incident.frontmatter.providers.includes(provider),
  );
}

export function buildRoom<C extends CheckBase>(
  model: { config: Config; providers: Provider<C>[]; incidents: Incident[] },
  state: StateFile,
  samples: readonly Sample[],
  now: Date,
): Room<C> {
  const { signals, page } = model.config;
  const settings = { operational: signals.operational, blocked: signals.blocked, stale: page.stale };
  const providers = model.providers.map((provider) => ({
    id: provider.id,
    name: provider.name,
    lane: provider.lane,
    recovery: provider.recovery,
    provider,
    signal: computeSignal(
      {
        readiness: provider.readiness,
        readinessTasks: provider.readinessTasks,
        checks: tallyEvidence(provider.checks, samples, state.checks, signals.window, now),
        openIncidents: openIncidentsOf(model.incidents, provider.id).map((incident) => ({
          id: incident.frontmatter.id,
          severity: incident.frontmatter.severity,
        })),
      },
      now,
      settings,
    ),
  }));
  return { providers, ...summariseRoom(model.config.lanes, providers) };
}
