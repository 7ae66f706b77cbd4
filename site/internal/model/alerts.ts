/**
 * The alerts screen: every rule with its configuration (condition, routes, quiet hours, suppression,
 * escalation policy) next to its live state from checks/state.json, and the notification outbox.
 * The state is shown as the alerting pipeline recorded it; nothing about it is re-evaluated here.
 */
import { maintenanceWindows } from "../../../scripts/core/maintenance-windows.ts";
import type { CheckBase } from "../../../scripts/core/model.ts";
import type { Notification } from "../../../scripts/core/schema/records.ts";
import { t, type StringKey } from "../../shared/strings.ts";
import { fill, moment, optionalMoment, span, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";
import { describeCondition, describeWindow, policyOf, providersOf, quietHoursOf, routesOf, type QuietHoursView } from "./rules.ts";

export type AlertStateName = "ok" | "pending" | "firing" | "silenced" | "unevaluated";

export interface RuleRow {
  id: string;
  description: string;
  severity: string;
  condition: string;
  targets: { name: string; href: string }[];
  providerIds: string[];
  routes: string[];
  quietHours: QuietHoursView[];
  activeDuring?: string;
  suppressUntil?: Moment & { active: boolean };
  maintenance: { id: string; title: string; status: string; href: string }[];
  policy?: { id: string; steps: string[]; unresolved?: string };
  state: {
    name: AlertStateName;
    label: string;
    acknowledged?: Moment;
    since?: Moment;
    lastEvaluated?: Moment;
    value?: number;
    detail?: string;
    firedAt?: Moment;
    lastNotified?: Moment;
    escalation: string;
    raisedTo?: string;
    incident?: { id: string; href: string };
  };
}

export interface OutboxRow {
  key: string;
  route: string;
  severity: string;
  kind: string;
  title: string;
  status: Notification["status"];
  created: Moment;
  attempts: number;
  nextAttempt?: Moment;
  lastAttempt?: Moment;
  lastError?: string;
  sent?: Moment;
}

export interface AlertsView {
  counts: Record<AlertStateName | "acknowledged", number>;
  rules: RuleRow[];
  outbox: { status: Notification["status"]; label: string; rows: OutboxRow[] }[];
}

const STATE_LABEL: Record<AlertStateName, StringKey> = {
  ok: "alert.ok",
  pending: "alert.pending",
  firing: "alert.firing",
  silenced: "alert.silenced",
  unevaluated: "alert.unevaluated",
};

/** Maintenance of the rule's providers that mutes alerts, with its current or next window. */
function mutingMaintenance<C extends CheckBase>(data: RoomData<C>, providerIds: readonly string[], href: Href): RuleRow["maintenance"] {
  const timeZone = data.model.config.page.timezone;
  return data.model.incidents
    .filter(({ frontmatter }) => frontmatter.kind === "maintenance" && frontmatter.muteAlerts && frontmatter.providers.some((id) => providerIds.includes(id)))
    .flatMap(({ frontmatter }) => {
      const window = maintenanceWindows(frontmatter, data.now).find((entry) => entry.status !== "completed");
      if (!window) return [];
      return [{ id: frontmatter.id, title: frontmatter.title, status: `${window.status}, ${moment(window.start, data.now, timeZone).absolute} → ${moment(window.end, data.now, timeZone).absolute}`, href: href(`incidents/${frontmatter.id}/`) }];
    });
}

export function ruleRows<C extends CheckBase>(data: RoomData<C>, href: Href): RuleRow[] {
  const { model, state, now } = data;
  const timeZone = model.config.page.timezone;
  const at = (value: string | undefined) => optionalMoment(value, now, timeZone);
  return model.rules.map((rule) => {
    const providers = providersOf(rule, model.providers);
    const routes = routesOf(rule, model.config);
    const policy = policyOf(rule, model.providers, model.config);
    const alert = state.alerts[rule.id];
    const name: AlertStateName = alert?.state ?? "unevaluated";
    const checks = providers.flatMap((provider) => provider.checks.filter((check) => rule.checks.includes(check.id)).map((check) => ({ provider, check })));
    const step = alert?.escalationStep ?? 0;
    const reached = policy && step > 0 ? policy.steps[Math.min(step, policy.steps.length) - 1] : undefined;
    return {
      id: rule.id,
      description: rule.description,
      severity: rule.severity,
      condition: describeCondition(rule.condition),
      targets: [
        ...checks.map(({ provider, check }) => ({ name: `${provider.name} › ${check.name}`, href: href(`providers/${provider.id}/#check-${check.id}`) })),
        ...providers.filter((provider) => rule.providers.includes(provider.id)).map((provider) => ({ name: provider.name, href: href(`providers/${provider.id}/`) })),
      ],
      providerIds: providers.map((provider) => provider.id),
      routes,
      quietHours: quietHoursOf(routes, model.config),
      activeDuring: rule.activeDuring ? describeWindow(rule.activeDuring) : undefined,
      suppressUntil: rule.suppressUntil ? { ...moment(rule.suppressUntil, now, timeZone), active: Date.parse(rule.suppressUntil) > now.getTime() } : undefined,
      maintenance: mutingMaintenance(data, providers.map((provider) => provider.id), href),
      policy: policy && {
        id: policy.id,
        steps: policy.steps.map((entry) => `${span(entry.after)}: ${entry.notify.join(", ")}`),
        unresolved: policy.unresolved && `${span(policy.unresolved.after)}: ${policy.unresolved.severity} → ${policy.unresolved.notify.join(", ")}`,
      },
      state: {
        name,
        label: t(STATE_LABEL[name]),
        acknowledged: at(alert?.acknowledgedAt),
        since: at(alert?.since),
        lastEvaluated: at(alert?.lastEvaluatedAt),
        value: alert?.value,
        detail: alert?.detail,
        firedAt: at(alert?.firedAt),
        lastNotified: at(alert?.lastNotifiedAt),
        escalation: !policy
          ? t("alert.noPolicy")
          : fill(t("alert.step"), { step, of: policy.steps.length }) + (reached ? ` (${reached.notify.join(", ")})` : ""),
        raisedTo: alert?.raisedTo,
        incident: alert?.incident ? { id: alert.incident, href: href(`incidents/${alert.incident}/`) } : undefined,
      },
    };
  });
}

const OUTBOX_ORDER: Notification["status"][] = ["failed", "retrying", "pending", "delayed", "sent"];

export function buildAlertsView<C extends CheckBase>(data: RoomData<C>, href: Href, sentShown = 20): AlertsView {
  const rules = ruleRows(data, href);
  const timeZone = data.model.config.page.timezone;
  const at = (value: string | undefined) => optionalMoment(value, data.now, timeZone);
  const count = (name: AlertStateName) => rules.filter((rule) => rule.state.name === name).length;
  return {
    counts: {
      firing: count("firing"),
      pending: count("pending"),
      silenced: count("silenced"),
      ok: count("ok"),
      unevaluated: count("unevaluated"),
      acknowledged: rules.filter((rule) => rule.state.acknowledged).length,
    },
    rules,
    outbox: OUTBOX_ORDER.map((status) => {
      const entries = data.state.outbox
        .filter((notification) => notification.status === status)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, status === "sent" ? sentShown : undefined);
      return {
        status,
        label: t(`outbox.${status}`),
        rows: entries.map((notification) => ({
          key: notification.key,
          route: notification.route,
          severity: notification.severity,
          kind: notification.kind,
          title: notification.title,
          status: notification.status,
          created: moment(notification.createdAt, data.now, timeZone),
          attempts: notification.attempts,
          nextAttempt: at(notification.nextAttemptAt),
          lastAttempt: at(notification.lastAttemptAt),
          lastError: notification.lastError,
          sent: at(notification.sentAt),
        })),
      };
    }),
  };
}
