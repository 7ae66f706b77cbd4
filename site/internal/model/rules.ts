/**
 * Alert rules as operators read them: the condition and windows in words, and the quiet hours of the
 * routes a rule notifies. Which routes and which escalation policy apply is the alerting core's answer
 * (scripts/core/alerts/evaluate.ts); the live state is what the probe run wrote to checks/state.json.
 */
import type { AlertRule, Config } from "../../../scripts/core/model.ts";
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
