/**
 * Alert rules as operators read them: the condition in words, the routes a rule notifies, their quiet
 * hours and the escalation policy that applies. Only configuration is resolved here; what a rule's live
 * state means (pending, firing, silenced, escalation) is read from checks/state.json as the alerting
 * pipeline wrote it.
 */
import type { AlertRule, CheckBase, Config, Provider } from "../../../scripts/core/model.ts";
import { span } from "./format.ts";

type Condition = AlertRule["condition"];

export function describeCondition(condition: Condition): string {
  switch (condition.type) {
    case "state":
      return `${condition.state} for ${condition.for} consecutive run${condition.for === 1 ? "" : "s"}`;
    case "errors":
      return `${condition.count} failing samples within ${span(condition.within)}${condition.clearBelow === undefined ? "" : ` (clears below ${condition.clearBelow})`}`;
    case "errorRate":
      return `error rate above ${condition.above}% over ${span(condition.window)}${condition.clearBelow === undefined ? "" : ` (clears below ${condition.clearBelow}%)`}, at least ${condition.minSamples} samples`;
    case "latency":
      return `P${condition.percentile} above ${span(condition.above)} over ${span(condition.window)}${condition.clearBelow === undefined ? "" : ` (clears below ${span(condition.clearBelow)})`}`;
    case "metric": {
      const subject = condition.window === undefined ? condition.metric : `sum of ${condition.metric} over ${span(condition.window)}`;
      const limits = [condition.above === undefined ? "" : `above ${condition.above}`, condition.below === undefined ? "" : `below ${condition.below}`].filter(Boolean);
      return `${subject} ${limits.join(" or ")}${condition.clearAt === undefined ? "" : ` (clears at ${condition.clearAt})`}`;
    }
    case "absence":
      return `no sample or heartbeat for ${span(condition.for)}`;
    case "anomaly":
      return `${condition.metric} over ${span(condition.window)} above ${condition.factor} × its ${span(condition.baseline)} baseline`;
  }
}

export function describeWindow(window: { start: string; end: string; days?: string[]; timezone: string }): string {
  return `${window.start}–${window.end} ${window.timezone}${window.days ? ` (${window.days.join(", ")})` : ""}`;
}

/** The routes a rule notifies: its own, or the routes for its severity. */
export function routesOf(rule: AlertRule, config: Config): string[] {
  return rule.routes ?? config.severityRoutes[rule.severity];
}

/** Providers a rule watches: named directly or through one of their checks. */
export function providersOf<C extends CheckBase>(rule: AlertRule, providers: readonly Provider<C>[]): Provider<C>[] {
  return providers.filter(
    (provider) => rule.providers.includes(provider.id) || provider.checks.some((check) => rule.checks.includes(check.id)),
  );
}

/** The escalation policy: the rule's, else its (first) provider's, else the default. */
export function policyOf<C extends CheckBase>(rule: AlertRule, providers: readonly Provider<C>[], config: Config) {
  const id = rule.escalationPolicy ?? providersOf(rule, providers).find((provider) => provider.escalationPolicy)?.escalationPolicy ?? config.defaultEscalationPolicy;
  return config.escalationPolicies.find((policy) => policy.id === id);
}

export interface QuietHoursView {
  route: string;
  window: string;
  action: string;
  except: string;
}

export function quietHoursOf(routeIds: readonly string[], config: Config): QuietHoursView[] {
  return routeIds.flatMap((id) => {
    const quiet = config.routes.find((route) => route.id === id)?.quietHours;
    return quiet ? [{ route: id, window: describeWindow(quiet), action: quiet.action, except: quiet.except.join(", ") }] : [];
  });
}
