import { describe, expect, test } from "vitest";
import { acknowledge } from "../../scripts/core/alerts/evaluate.ts";
import { drive, everyMinute, makeConfig, makeIncident, makeProvider, makeRule, minutes, MINUTE, summary, type World } from "../helpers/alerting.ts";

const START = "2026-11-16T10:00:00.000Z";
const api = makeProvider("api", [{ id: "web" }]);
const db = makeProvider("db", [{ id: "sql" }], { name: "Database", owner: "Data team", escalationPolicy: "default" });
const down = { type: "state", state: "down", for: 2 };

const policy = {
  escalationPolicies: [
    {
      id: "default",
      steps: [
        { after: "0m", notify: ["pager"] },
        { after: "5m", notify: ["backup"] },
        { after: "15m", notify: ["lead"] },
        { after: "30m", notify: ["founder"] },
      ],
      unresolved: { after: "60m", severity: "critical", notify: ["pager", "backup", "lead", "founder", "chat"] },
    },
  ],
  defaultEscalationPolicy: "default",
};

describe("escalation until acknowledged (playbook §6.2.3)", () => {
  const world = (): World => ({ rules: [makeRule({ id: "db-down", severity: "critical", checks: ["sql"], condition: down })], providers: [db], config: makeConfig(policy) });
  const outage = (length: number) => minutes("sql", START, "d".repeat(length));

  test("on-call at once, backup after 5 minutes, lead after 15, founder after 30, everyone raised to critical after 60", () => {
    const runs = drive(world(), outage(75), everyMinute(START, 75));
    expect(summary(runs)).toEqual([
      "10:01 fired db-down → pager, chat",
      "10:06 escalated db-down → backup",
      "10:16 escalated db-down → lead",
      "10:31 escalated db-down → founder",
      "11:01 raised db-down → pager, backup, lead, founder, chat",
    ]);
    // The pager is not paged twice for step 1: it already got the trigger.
    expect(runs[1]!.notifications.map((entry) => entry.route).sort()).toEqual(["chat", "pager"]);
  });

  test("acknowledging with the CLI stops the steps; the unresolved raise still comes", () => {
    const runs = drive(world(), outage(75), everyMinute(START, 75), (run, current) => {
      if (run.at === "2026-11-16T10:08:00.000Z") {
        const acked = acknowledge(run.alerts["db-down"]!, "db-down", "critical", new Date(run.at), "alice", ["db"]);
        run.alerts = { ...run.alerts, "db-down": acked.state };
        expect(acked.event).toMatchObject({ type: "acknowledged", by: "alice", routes: ["pager", "chat", "backup"] });
      }
      expect(current.rules).toHaveLength(1);
    });
    expect(summary(runs)).toEqual(["10:01 fired db-down → pager, chat", "10:06 escalated db-down → backup", "11:01 raised db-down → pager, backup, lead, founder, chat"]);
  });

  test("an acknowledged incident linked to the alert acknowledges it", () => {
    const current = world();
    const runs = drive(current, outage(20), everyMinute(START, 20), (run, w) => {
      if (run.at === "2026-11-16T10:02:00.000Z") {
        run.alerts = { ...run.alerts, "db-down": { ...run.alerts["db-down"]!, incident: "2026-11-16-db" } };
        w.incidents = [makeIncident({ id: "2026-11-16-db", severity: "SEV-1", status: "investigating", providers: ["db"], acknowledged: "2026-11-16T10:03:00Z", commander: "bob" })];
      }
    });
    expect(summary(runs)).toEqual(["10:01 fired db-down → pager, chat", "10:03 acknowledged db-down → pager, chat"]);
    expect(runs[3]!.notifications[0]!.items[0]).toMatchObject({ kind: "acknowledge", status: "Acknowledged by bob", incident: "2026-11-16-db" });
  });

  test("warnings do not page by default; a rule can name a policy at any severity", () => {
    const warning = makeRule({ id: "slow", severity: "warning", checks: ["sql"], condition: down });
    expect(summary(drive({ rules: [warning], providers: [db], config: makeConfig(policy) }, outage(10), everyMinute(START, 10)))).toEqual(["10:01 fired slow → chat"]);
    const named = makeRule({ id: "slow", severity: "warning", checks: ["sql"], condition: down, escalationPolicy: "default" });
    expect(summary(drive({ rules: [named], providers: [db], config: makeConfig(policy) }, outage(7), everyMinute(START, 7)))).toEqual([
      "10:01 fired slow → chat",
      "10:01 escalated slow → pager",
      "10:06 escalated slow → backup",
    ]);
  });
});

describe("reminders", () => {
  test("at the reminder interval while firing and unacknowledged, never in the run that fired", () => {
    const rule = makeRule({ checks: ["web"], condition: down, reminder: "30m" });
    const runs = drive({ rules: [rule], providers: [api] }, minutes("web", START, "d".repeat(70)), everyMinute(START, 70));
    expect(summary(runs)).toEqual(["10:01 fired rule → chat, mail", "10:31 reminder rule → chat, mail", "11:01 reminder rule → chat, mail"]);
  });

  test("reminders shorter than 5 minutes are refused", () => {
    expect(() => makeRule({ checks: ["web"], condition: down, reminder: "1m" })).toThrow(/at least 5m/);
  });
});

describe("quiet hours per route", () => {
  const quiet = (action: "delay" | "downgrade") =>
    makeConfig({
      routes: [
        { id: "chat", channel: "webhook", url: "http://127.0.0.1:1/chat", quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin", action } },
        { id: "mail", channel: "webhook", url: "http://127.0.0.1:1/mail" },
        { id: "pager", channel: "webhook", url: "http://127.0.0.1:1/pager" },
      ],
      severityRoutes: { critical: ["pager", "chat"], high: ["chat", "mail"], warning: ["chat"], info: ["mail"] },
    });
  // 23:30 in Berlin (UTC+1): inside quiet hours that cross midnight.
  const night = "2026-11-16T22:30:00.000Z";
  const nightRuns = (severity: string, action: "delay" | "downgrade") =>
    drive({ rules: [makeRule({ checks: ["web"], condition: down, severity })], providers: [api], config: quiet(action) }, minutes("web", night, "dd"), everyMinute(night, 2));

  test("`delay` holds non-critical notifications until 07:00 local time; other routes go at once", () => {
    const [chat, mail] = nightRuns("high", "delay")[1]!.notifications;
    expect(chat).toMatchObject({ route: "chat", status: "delayed", nextAttemptAt: "2026-11-17T06:00:00.000Z" });
    expect(mail).toMatchObject({ route: "mail", status: "pending" });
    expect(mail!.nextAttemptAt).toBeUndefined();
  });

  test("critical alerts go through at once", () => {
    const chat = nightRuns("critical", "delay")[1]!.notifications.find((entry) => entry.route === "chat")!;
    expect(chat).toMatchObject({ status: "pending", severity: "critical" });
  });

  test("`downgrade` sends at once, one level lower", () => {
    const chat = nightRuns("high", "downgrade")[1]!.notifications.find((entry) => entry.route === "chat")!;
    expect(chat).toMatchObject({ status: "pending", severity: "warning" });
    expect(chat.items[0]!.severity).toBe("warning");
  });

  test("in daytime nothing is held", () => {
    const day = "2026-11-16T09:00:00.000Z";
    const runs = drive({ rules: [makeRule({ checks: ["web"], condition: down })], providers: [api], config: quiet("delay") }, minutes("web", day, "dd"), everyMinute(day, 2));
    expect(runs[1]!.notifications.every((entry) => entry.status === "pending")).toBe(true);
  });
});

describe("maintenance windows mute alerts", () => {
  const rule = makeRule({ checks: ["web"], condition: down });

  test("one-off: failures inside the window fire nothing, during or after it; failures after it do", () => {
    const window = makeIncident({ id: "upgrade", kind: "maintenance", status: "scheduled", providers: ["api"], scheduledFor: "2026-11-16T10:00:00Z", scheduledUntil: "2026-11-16T10:10:00Z" });
    const runs = drive({ rules: [rule], providers: [api], incidents: [window] }, minutes("web", START, "ddddddddddduuudd"), everyMinute(START, 16));
    expect(summary(runs)).toEqual(["10:15 fired rule → chat, mail"]);
  });

  test("recurring across midnight in a time zone (Sundays 23:30–00:30 New York), only for its provider", () => {
    const weekly = makeIncident({ id: "weekly", kind: "maintenance", status: "scheduled", providers: ["api"], recurrence: { days: ["sun"], start: "23:30", duration: "1h", timezone: "America/New_York" } });
    // Sunday 2026-11-15 23:40 in New York is Monday 04:40 UTC.
    const at = "2026-11-16T04:40:00.000Z";
    const other = makeProvider("other", [{ id: "other-web" }]);
    const both = makeRule({ id: "both", checks: ["web", "other-web"], condition: down });
    const samples = [...minutes("web", at, "ddd"), ...minutes("other-web", at, "ddd")];
    const runs = drive({ rules: [rule, both], providers: [api, other], incidents: [weekly] }, samples, everyMinute(at, 3));
    expect(summary(runs)).toEqual(["04:41 fired both → chat, mail"]);
    expect(runs[1]!.events[0]!.checks).toEqual(["other-web"]);
    // The same minutes on a Monday night are not in the window.
    const monday = "2026-11-17T04:40:00.000Z";
    expect(summary(drive({ rules: [rule], providers: [api], incidents: [weekly] }, minutes("web", monday, "ddd"), everyMinute(monday, 3)))).toEqual(["04:41 fired rule → chat, mail"]);
  });

  test("an alert already firing when the window opens is held, and told again only if still firing after", () => {
    const window = makeIncident({ id: "fix", kind: "maintenance", status: "scheduled", providers: ["api"], scheduledFor: "2026-11-16T10:05:00Z", scheduledUntil: "2026-11-16T10:10:00Z" });
    const runs = drive({ rules: [rule], providers: [api], incidents: [window] }, minutes("web", START, "ddddddddddddd"), everyMinute(START, 13));
    expect(summary(runs)).toEqual(["10:01 fired rule → chat, mail"]);
    expect(runs[6]!.alerts.rule).toMatchObject({ state: "firing", muted: "maintenance fix" });
    expect(runs[12]!.alerts.rule!.muted).toBeUndefined();
  });

  test("a completed maintenance no longer mutes", () => {
    const done = makeIncident({ id: "done", kind: "maintenance", status: "completed", providers: ["api"], scheduledFor: "2026-11-16T10:00:00Z", scheduledUntil: "2026-11-16T11:00:00Z" });
    expect(summary(drive({ rules: [rule], providers: [api], incidents: [done] }, minutes("web", START, "dd"), everyMinute(START, 2)))).toEqual(["10:01 fired rule → chat, mail"]);
  });
});

describe("suppress-until", () => {
  test("a known issue fires silently until the time, then is told once if still firing", () => {
    const rule = makeRule({ checks: ["web"], condition: down, suppressUntil: "2026-11-16T10:05:00Z" });
    const runs = drive({ rules: [rule], providers: [api] }, minutes("web", START, "ddddddd"), everyMinute(START, 7));
    expect(summary(runs)).toEqual(["10:01 fired rule", "10:05 released rule → chat, mail"]);
    expect(runs[1]!.events[0]).toMatchObject({ muted: "suppressed until 2026-11-16T10:05:00Z" });
  });

  test("cleared before the time: nobody is told anything", () => {
    const rule = makeRule({ checks: ["web"], condition: down, suppressUntil: "2026-11-16T11:00:00Z" });
    const runs = drive({ rules: [rule], providers: [api] }, minutes("web", START, "dduuu"), everyMinute(START, 5));
    expect(runs.flatMap((run) => run.notifications)).toEqual([]);
  });
});

describe("grouping: one notification per route per run", () => {
  test("five rules firing in one run make one message per route", () => {
    const providers = ["a", "b", "c", "d", "e"].map((id) => makeProvider(id, [{ id: `${id}-web` }]));
    const rules = ["webhook_delay", "provider_timeout", "queue_backup", "login_errors", "db_slow"].map((id, index) =>
      makeRule({ id: id.replace("_", "-"), checks: [`${"abcde"[index]}-web`], condition: down }),
    );
    const samples = providers.flatMap((provider) => minutes(provider.checks[0]!.id, START, "dd"));
    const [, second] = drive({ rules, providers }, samples, everyMinute(START, 2));
    expect(second!.notifications.map((entry) => `${entry.route}: ${entry.title}`)).toEqual([
      "chat: 5 alerts firing: db-slow, login-errors, provider-timeout, queue-backup, webhook-delay",
      "mail: 5 alerts firing: db-slow, login-errors, provider-timeout, queue-backup, webhook-delay",
    ]);
    expect(second!.notifications[0]!.items).toHaveLength(5);
  });

  test("fired and resolved alerts in the same run share one message", () => {
    const providers = [makeProvider("a", [{ id: "a-web" }]), makeProvider("b", [{ id: "b-web" }])];
    const rules = [makeRule({ id: "first", checks: ["a-web"], condition: down }), makeRule({ id: "second", checks: ["b-web"], condition: down })];
    const samples = [...minutes("a-web", START, "dduu"), ...minutes("b-web", START, "uudd")];
    const runs = drive({ rules, providers }, samples, everyMinute(START, 4));
    expect(runs[3]!.notifications.map((entry) => entry.title)).toEqual(["2 alert updates (1 resolved, 1 firing): first, second", "2 alert updates (1 resolved, 1 firing): first, second"]);
  });
});

describe("editing a rule resets its state", () => {
  test("a changed condition starts over and closes the old episode; a changed route does not", () => {
    const samples = minutes("web", START, "dddddd");
    const runs = drive({ rules: [makeRule({ checks: ["web"], condition: down })], providers: [api] }, samples, everyMinute(START, 6), (run, world) => {
      if (run.at === "2026-11-16T10:02:00.000Z") world.rules = [makeRule({ checks: ["web"], condition: down, routes: ["mail"] })];
      if (run.at === "2026-11-16T10:03:00.000Z") world.rules = [makeRule({ checks: ["web"], condition: { ...down, for: 3 }, routes: ["mail"] })];
    });
    expect(summary(runs)).toEqual(["10:01 fired rule → chat, mail", "10:04 cleared rule → chat, mail", "10:04 fired rule → mail"]);
    expect(runs[4]!.events[0]).toMatchObject({ reason: "rule-changed" });
    expect(runs[4]!.alerts.rule!.episode).toBe("rule@20261116T1004Z");
  });

  test("a removed rule closes what it had told", () => {
    const runs = drive({ rules: [makeRule({ checks: ["web"], condition: down })], providers: [api] }, minutes("web", START, "ddd"), everyMinute(START, 3), (run, world) => {
      if (run.at === "2026-11-16T10:01:00.000Z") world.rules = [];
    });
    expect(summary(runs)).toEqual(["10:01 fired rule → chat, mail", "10:02 cleared rule → chat, mail"]);
    expect(runs[2]!.alerts).toEqual({});
  });
});

describe("the message content (playbook §6.3.3)", () => {
  test("status, impact, started, lead, next steps; the resolution has the duration", () => {
    const rule = makeRule({ id: "db-down", severity: "critical", checks: ["sql"], condition: down, description: "The database refuses connections." });
    const runs = drive({ rules: [rule], providers: [db], config: makeConfig() }, minutes("sql", START, "ddduu"), everyMinute(START, 5));
    const trigger = runs[1]!.notifications[0]!.items[0]!;
    expect(trigger).toEqual({
      id: "db-down@20261116T1001Z/trigger",
      alert: "db-down@20261116T1001Z",
      kind: "trigger",
      rule: "db-down",
      severity: "critical",
      title: "Database: db-down",
      status: "Investigating",
      impact: "The database refuses connections. At risk: What db protects.",
      startedAt: "2026-11-16T10:00:00.000Z",
      lead: "Data team",
      next: ["Recover db", "Check health endpoint", "Compare recent deploy and provider status"],
      detail: "down for 2 consecutive runs: sql",
      providers: ["db"],
      incident: undefined,
    });
    const resolve = runs[4]!.notifications[0]!.items[0]!;
    expect(resolve).toMatchObject({ kind: "resolve", status: "Resolved", durationMs: 4 * MINUTE, resolvedAt: "2026-11-16T10:04:00.000Z" });
  });
});
