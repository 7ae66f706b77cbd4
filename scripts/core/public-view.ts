/**
 * The public view: the only data the public site, feeds, API, badges and images may use. Its types have
 * no internal field (owner, evidence, escalation, check targets, errors, routes, narrative), so a page
 * that imports only this cannot leak them.
 */
import type { CheckBase, Config, Incident, Provider } from "./model.ts";
import type { StateFile } from "./schema/records.ts";

export type ComponentStatus = "operational" | "degraded_performance" | "partial_outage" | "major_outage" | "under_maintenance";

export interface PublicComponent {
  id: string;
  name: string;
  group?: string;
  description?: string;
  order: number;
  status: ComponentStatus;
}

export interface PublicView {
  page: { title: string; description: string; url?: string; basePath: string };
  generatedAt: string;
  lastCheckedAt?: string;
  components: PublicComponent[];
}

const RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

export function worstStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((worst, status) => (RANK[status] > RANK[worst] ? status : worst), "operational");
}

function measuredStatus(provider: Provider<CheckBase>, state: StateFile): ComponentStatus {
  const statuses = provider.checks.filter((check) => check.enabled).map((check) => state.checks[check.id]?.status ?? "unknown");
  const down = statuses.filter((status) => status === "down").length;
  if (down > 0) return down === statuses.length ? "major_outage" : "partial_outage";
  if (statuses.includes("degraded")) return "degraded_performance";
  return "operational";
}

function declaredStatus(incidents: readonly Incident[], providerId: string): ComponentStatus[] {
  return incidents
    .filter(({ frontmatter }) => !["resolved", "completed", "scheduled"].includes(frontmatter.status))
    .flatMap(({ frontmatter }) => frontmatter.components[providerId] ?? []);
}

export function toPublicView<C extends CheckBase>(
  model: { config: Config; providers: Provider<C>[]; incidents: Incident[] },
  state: StateFile,
  now: Date,
): PublicView {
  const { page } = model.config;
  const components: PublicComponent[] = [];
  for (const provider of model.providers) {
    if (provider.public === false) continue;
    components.push({
      id: provider.id,
      name: provider.public.name,
      group: provider.public.group,
      description: provider.public.description,
      order: provider.public.order,
      status: worstStatus([measuredStatus(provider, state), ...declaredStatus(model.incidents, provider.id)]),
    });
  }
  components.sort((a, b) => (a.group ?? "").localeCompare(b.group ?? "") || a.order - b.order || a.name.localeCompare(b.name));
  return {
    page: { title: page.title, description: page.description, url: page.url, basePath: page.basePath },
    generatedAt: now.toISOString(),
    lastCheckedAt: state.lastRun?.at,
    components,
  };
}
