/**
 * The alerts screen: every rule with its configuration (condition, routes, quiet hours, suppression,
 * maintenance, escalation policy) next to its live state from checks/state.json, and the notification
 * outbox. Routes, policies and targets are the alerting core's answers (scripts/core/alerts); the state is
 * shown as the probe run recorded it, never re-evaluated. In that model a rule is `ok` or `firing`; a
 * firing alert whose notifications are held (maintenance, suppress-until) is shown as silenced, and an
 * acknowledged one as acknowledged.
 */
import { policyFor, routesFor, targetsOf } from "../../../scripts/core/alerts/evaluate.ts";
import { mutesAt } from "../../../scripts/core/alerts/maintenance.ts";
import { maintenanceWindows } from "../../../scripts/core/maintenance-windows.ts";
import type { CheckBase } from "../../../scripts/core/model.ts";
import type { Notification } from "../../../scripts/core/schema/records.ts";
import { t, type StringKey } from "../../shared/strings.ts";
import { fill, moment, optionalMoment, span, type Moment } from "./format.ts";
import type { Href, RoomData } from "./input.ts";
import { describeCondition, describeWindow, quietHoursOf, type QuietHoursView } from "./rules.ts";

export type AlertStateName = "ok" | "firing" | "silenced" | "unevaluated";

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
    /** Why notifications are held, as the alerting pipeline recorded it. */
    muted?: string;
    acknowledged?: Moment;
    acknowledgedBy?: string;
    since?: Moment;
    onset?: Moment;
    lastEvaluated?: Moment;
    value?: number;
    detail?: string;
    firedAt?: Moment;
    notifiedAt?: Moment;
    lastNotified?: Moment;
    notifiedRoutes: string[];
    /** Checks that made the rule fire. */
    firingChecks: string[];
    escalation: string;
    raisedTo?: string;
    incident?: { id: string; href: string };
  };
}

export interface OutboxRow {
  key: string;
  route: string;
  severity: string;
  /** What the grouped items say: trigger, reminder, escalation, resolve… */
  kinds: string;
  items: number;
  title: string;
  status: Notification["status"];
  created: Moment;
  attempts: number;
  nextAttempt?: Moment;
  lastAttempt?: Moment;
  lastError?: string;
  sent?: Moment;
  /** For a dead letter: why it will not be delivered and who was told, e.g. "Refused by the channel; announced via ops-discord". */
  deadLetter?: string;
}

export interface AlertsView {
  counts: Record<AlertStateName | "acknowledged" | "deadLetters", number>;
  rules: RuleRow[];
  outbox: { status: Notification["status"]; label: string; rows: OutboxRow[] }[];
}

const STATE_LABEL: Record<AlertStateName, StringKey> = {
  ok: "alert.ok",
  firing: "alert.firing",
  silenced: "alert.silenced",
  unevaluated: "alert.unevaluated",
};

/** Maintenance of the rule's providers that mutes alerts now or will in its next window. */
function mutingMaintenance<C extends CheckBase>(data: RoomData<C>, providerIds: readonly string[], href: Href): RuleRow["maintenance"] {
  const timeZone = data.model.config.page.timezone;
  return data.model.incidents
    .filter((incident) => incident.frontmatter.kind === "maintenance" && incident.frontmatter.muteAlerts && incident.frontmatter.providers.some((id) => providerIds.includes(id)))
    .flatMap((incident) => {
      const { frontmatter } = incident;
      const link = { id: frontmatter.id, title: frontmatter.title, href: href(`incidents/${frontmatter.id}/`) };
      if (mutesAt(incident, data.now)) return [{ ...link, status: t("alert.mutingNow") }];
      const window = maintenanceWindows(frontmatter, data.now).find((entry) => entry.status === "scheduled");
      return window ? [{ ...link, status: `${t("alert.mutingFrom")} ${moment(window.start, data.now, timeZone).absolute} → ${moment(window.end, data.now, timeZone).absolute}` }] : [];
    });
}

export function ruleRows<C extends CheckBase>(data: RoomData<C>, href: Href): RuleRow[] {
  const { model, state, now } = data;
  const timeZone = model.config.page.timezone;
  const at = (value: string | undefined) => optionalMoment(value, now, timeZone);
  const checkName = new Map(model.providers.flatMap((provider) => provider.checks.map((check) => [check.id, `${provider.name} › ${check.name}`] as const)));
  return model.rules.map((rule) => {
    const targets = targetsOf(rule, model.providers);
    const providerIds = [...new Set(targets.map((target) => target.provider))];
    const providers = model.providers.filter((provider) => providerIds.includes(provider.id));
    const alert = state.alerts[rule.id];
    const severity = alert?.raisedTo ?? rule.severity;
    const routes = routesFor(rule, rule.severity, model.config);
    const policy = policyFor(rule, severity, providers, model.config);
    const name: AlertStateName = !alert ? "unevaluated" : alert.state === "ok" ? "ok" : alert.muted ? "silenced" : "firing";
    const step = alert?.escalationStep ?? 0;
    const reached = policy && step > 0 ? policy.steps[Math.min(step, policy.steps.length) - 1] : undefined;
    return {
      id: rule.id,
      description: rule.description,
      severity: rule.severity,
      condition: describeCondition(rule.condition),
      targets: targets.map((target) => ({ name: checkName.get(target.id) ?? target.id, href: href(`providers/${target.provider}/#check-${target.id}`) })),
      providerIds,
      routes,
      quietHours: quietHoursOf(routes, model.config),
      activeDuring: rule.activeDuring ? describeWindow(rule.activeDuring) : undefined,
      suppressUntil: rule.suppressUntil ? { ...moment(rule.suppressUntil, now, timeZone), active: Date.parse(rule.suppressUntil) > now.getTime() } : undefined,
      maintenance: mutingMaintenance(data, providerIds, href),
      policy: policy && {
        id: policy.id,
        steps: policy.steps.map((entry) => `${span(entry.after)}: ${entry.notify.join(", ")}`),
        unresolved: policy.unresolved && `${span(policy.unresolved.after)}: ${policy.unresolved.severity} → ${policy.unresolved.notify.join(", ")}`,
      },
      state: {
        name,
        label: t(STATE_LABEL[name]),
        muted: alert?.muted,
        acknowledged: at(alert?.acknowledgedAt),
        acknowledgedBy: alert?.acknowledgedBy,
        since: at(alert?.since),
        onset: at(alert?.onsetAt),
        lastEvaluated: at(alert?.lastEvaluatedAt),
        value: alert?.value,
        detail: alert?.detail,
        firedAt: at(alert?.firedAt),
        notifiedAt: at(alert?.notifiedAt),
        lastNotified: at(alert?.lastNotifiedAt),
        notifiedRoutes: alert?.notifiedRoutes ?? [],
        firingChecks: (alert?.state === "firing" ? alert.checks : []).map((id) => checkName.get(id) ?? id),
        escalation: !policy ? t(rule.severity === "critical" ? "alert.noPolicy" : "alert.noPaging") : fill(t("alert.step"), { step, of: policy.steps.length }) + (reached ? ` (${reached.notify.join(", ")})` : ""),
        raisedTo: alert?.raisedTo,
        incident: alert?.incident ? { id: alert.incident, href: href(`incidents/${alert.incident}/`) } : undefined,
      },
    };
  });
}

const OUTBOX_ORDER: Notification["status"][] = ["failed", "retrying", "sending", "pending", "delayed", "sent"];

export function buildAlertsView<C extends CheckBase>(data: RoomData<C>, href: Href, sentShown = 20): AlertsView {
  const rules = ruleRows(data, href);
  const timeZone = data.model.config.page.timezone;
  const at = (value: string | undefined) => optionalMoment(value, data.now, timeZone);
  const count = (name: AlertStateName) => rules.filter((rule) => rule.state.name === name).length;
  return {
    counts: {
      firing: count("firing"),
      silenced: count("silenced"),
      ok: count("ok"),
      unevaluated: count("unevaluated"),
      acknowledged: rules.filter((rule) => rule.state.acknowledged).length,
      deadLetters: data.state.outbox.filter((notification) => notification.status === "failed").length,
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
          kinds: [...new Set(notification.items.map((item) => item.kind))].join(", "),
          items: notification.items.length,
          title: notification.title,
          status: notification.status,
          created: moment(notification.createdAt, data.now, timeZone),
          attempts: notification.attempts,
          nextAttempt: at(notification.nextAttemptAt),
          lastAttempt: at(notification.lastAttemptAt),
          lastError: notification.lastError,
          sent: at(notification.sentAt),
          deadLetter: notification.failure
            ? `${t(`deadLetter.${notification.failure.reason}`)}; ${notification.failure.announcedVia ? fill(t("deadLetter.announced"), { route: notification.failure.announcedVia }) : t("deadLetter.unannounced")}`
            : undefined,
        })),
      };
    }),
  };
}
