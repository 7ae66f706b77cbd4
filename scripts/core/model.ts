/**
 * The normalised model every part of Signalroom works on: files after shape validation, with defaults
 * filled in (check settings from `defaults`, escalation steps from the provider's kind). Core code uses
 * only the fields common to all check types and routes, so it stays independent of the registries.
 */
import type { z } from "zod";
import type { alertRule } from "./schema/alert-rules.ts";
import type { makeConfigSchema, routeBase } from "./schema/config.ts";
import type { incidentFrontmatter } from "./schema/incident.ts";
import { DEFAULT_ESCALATION, type checkBase, type makeProviderSchema } from "./schema/provider.ts";

export type CheckBase = z.output<typeof checkBase> & { type: string };
export type RouteBase = z.output<typeof routeBase> & { channel: string };
export type Config<R extends RouteBase = RouteBase> = Omit<z.output<ReturnType<typeof makeConfigSchema>>, "routes"> & { routes: R[] };
export type AlertRule = z.output<typeof alertRule>;
export type IncidentFrontmatter = z.output<typeof incidentFrontmatter>;

type ProviderFileBase = z.output<ReturnType<typeof makeProviderSchema<typeof checkBase>>>;

/** A check with every setting decided and its provider attached. */
export type ResolvedCheck<C extends CheckBase = CheckBase> = C & {
  provider: string;
  name: string;
  cadence: number;
  timeout: number;
  retries: number;
  failureThreshold: number;
  recoveryThreshold: number;
};

export type Provider<C extends CheckBase = CheckBase> = Omit<ProviderFileBase, "checks" | "escalation"> & {
  escalation: string[];
  checks: ResolvedCheck<C>[];
};

export interface Incident {
  /** Path relative to the workspace root, e.g. incidents/2026-11-16-printful-slow.md. */
  file: string;
  frontmatter: IncidentFrontmatter;
  /** The markdown body: the internal narrative. */
  body: string;
}

export interface Model<C extends CheckBase = CheckBase, R extends RouteBase = RouteBase> {
  config: Config<R>;
  providers: Provider<C>[];
  rules: AlertRule[];
  incidents: Incident[];
}

export function resolveCheck<C extends CheckBase>(check: C, provider: string, defaults: Config["defaults"]): ResolvedCheck<C> {
  return {
    ...check,
    provider,
    name: check.name ?? check.id,
    cadence: check.cadence ?? defaults.cadence,
    timeout: check.timeout ?? defaults.timeout,
    retries: check.retries ?? defaults.retries,
    failureThreshold: check.failureThreshold ?? defaults.failureThreshold,
    recoveryThreshold: check.recoveryThreshold ?? defaults.recoveryThreshold,
  };
}

export function normaliseProvider<C extends CheckBase>(
  file: Omit<ProviderFileBase, "checks"> & { checks: C[] },
  defaults: Config["defaults"],
): Provider<C> {
  return {
    ...file,
    escalation: file.escalation ?? DEFAULT_ESCALATION[file.kind],
    checks: file.checks.map((check) => resolveCheck(check, file.id, defaults)),
  };
}

export function allChecks<C extends CheckBase>(model: Pick<Model<C>, "providers">): ResolvedCheck<C>[] {
  return model.providers.flatMap((provider) => provider.checks);
}
