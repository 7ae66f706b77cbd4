/**
 * Daylight saving in the three kinds of zone that break hand-made offset arithmetic: a one-hour change west
 * of Greenwich (America/New_York), a one-hour change east of it (Europe/Berlin) and a 30-minute change
 * (Australia/Lord_Howe, southern hemisphere, so spring is in October). The rule under test (docs/alerting.md,
 * "Time zones"): a local time inside a spring gap moves later by the gap's length; a local time that happens
 * twice in an autumn overlap is the first of the two.
 */
import { describe, expect, test } from "vitest";
import { planNotifications } from "../../scripts/core/alerts/plan.ts";
import { maintenanceCalendar } from "../../scripts/core/alerts/maintenance.ts";
import { recurrenceAround, windowAround } from "../../scripts/core/alerts/windows.ts";
import { maintenanceWindows } from "../../scripts/core/maintenance-windows.ts";
import { formatZoned, isTimeZone, occurrences } from "../../scripts/core/zones.ts";
import { makeConfig, makeIncident, makeProvider, makeRule } from "../helpers/alerting.ts";

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A one-off recurrence: `start` local time on exactly one day, found by asking around that day. */
function onlyOccurrence(zone: string, date: string, start: string, duration = HOUR) {
  const around = Date.parse(`${date}T12:00:00Z`);
  const found = occurrences({ start, duration, timezone: zone }, around - 36 * HOUR, around + 36 * HOUR);
  const day = found.find((occurrence) => formatZoned(occurrence.start, zone).startsWith(date) || formatZoned(occurrence.start - HOUR, zone).startsWith(date));
  return day!;
}

describe("local times the clocks skip (spring gap) move later by the gap's length; times they repeat (autumn overlap) are the first pass", () => {
  test.each([
    { zone: "America/New_York", date: "2026-03-08", start: "02:30", utc: "2026-03-08T07:30:00.000Z", local: "2026-03-08 03:30 GMT-4", repeat: 0 },
    { zone: "Europe/Berlin", date: "2026-03-29", start: "02:30", utc: "2026-03-29T01:30:00.000Z", local: "2026-03-29 03:30 CEST", repeat: 0 },
    { zone: "Australia/Lord_Howe", date: "2026-10-04", start: "02:15", utc: "2026-10-03T15:45:00.000Z", local: "2026-10-04 02:45 GMT+11", repeat: 0 },
    { zone: "America/New_York", date: "2026-11-01", start: "01:30", utc: "2026-11-01T05:30:00.000Z", local: "2026-11-01 01:30 GMT-4", repeat: HOUR },
    { zone: "Europe/Berlin", date: "2026-10-25", start: "02:30", utc: "2026-10-25T00:30:00.000Z", local: "2026-10-25 02:30 CEST", repeat: HOUR },
    { zone: "Australia/Lord_Howe", date: "2026-04-05", start: "01:45", utc: "2026-04-04T14:45:00.000Z", local: "2026-04-05 01:45 GMT+11", repeat: HOUR / 2 },
  ])("$start on $date in $zone starts at $local", ({ zone, date, start, utc, local, repeat }) => {
    const occurrence = onlyOccurrence(zone, date, start);
    expect(iso(occurrence.start)).toBe(utc);
    expect(formatZoned(occurrence.start, zone)).toBe(local);
    // The window lasts its duration in real time, whatever the clocks do.
    expect(occurrence.end - occurrence.start).toBe(HOUR);
    // In an overlap the second pass of the same wall time is another, later instant, and shows its own offset.
    if (repeat) {
      expect(formatZoned(occurrence.start + repeat, zone).slice(0, 16)).toBe(local.slice(0, 16));
      expect(formatZoned(occurrence.start + repeat, zone)).not.toBe(local);
    }
  });

  test("the days around the change keep their ordinary times", () => {
    const daily = occurrences({ start: "02:30", duration: HOUR, timezone: "America/New_York" }, Date.parse("2026-03-07T00:00:00Z"), Date.parse("2026-03-10T00:00:00Z"));
    expect(daily.map((occurrence) => formatZoned(occurrence.start, "America/New_York"))).toEqual([
      "2026-03-07 02:30 GMT-5",
      "2026-03-08 03:30 GMT-4",
      "2026-03-09 02:30 GMT-4",
    ]);
  });
});

describe("daily windows (quiet hours, business hours) across the changes", () => {
  const window = (zone: string, start: string, end: string, at: string) => {
    const found = windowAround({ start, end, timezone: zone }, new Date(at));
    return found ? [iso(found.start), iso(found.end)] : undefined;
  };

  test.each([
    // Nights that cross the change: as long in real time as the wall clocks say.
    { zone: "America/New_York", start: "22:00", end: "07:00", at: "2026-03-08T10:00:00Z", expected: ["2026-03-08T03:00:00.000Z", "2026-03-08T11:00:00.000Z"], why: "New York's spring night lasts 8 hours" },
    { zone: "America/New_York", start: "22:00", end: "07:00", at: "2026-11-01T11:00:00Z", expected: ["2026-11-01T02:00:00.000Z", "2026-11-01T12:00:00.000Z"], why: "New York's autumn night lasts 10 hours" },
    { zone: "Europe/Berlin", start: "22:00", end: "07:00", at: "2026-10-25T05:30:00Z", expected: ["2026-10-24T20:00:00.000Z", "2026-10-25T06:00:00.000Z"], why: "Berlin's autumn night lasts 10 hours" },
    { zone: "Australia/Lord_Howe", start: "22:00", end: "07:00", at: "2026-10-03T19:00:00Z", expected: ["2026-10-03T11:30:00.000Z", "2026-10-03T20:00:00.000Z"], why: "Lord Howe's spring night lasts 8 h 30 min" },
    { zone: "Australia/Lord_Howe", start: "22:00", end: "07:00", at: "2026-04-04T19:00:00Z", expected: ["2026-04-04T11:00:00.000Z", "2026-04-04T20:30:00.000Z"], why: "Lord Howe's autumn night lasts 9 h 30 min" },
    // Windows that start or end inside the gap.
    { zone: "America/New_York", start: "02:30", end: "05:00", at: "2026-03-08T08:00:00Z", expected: ["2026-03-08T07:30:00.000Z", "2026-03-08T09:00:00.000Z"], why: "a New York window starting at 02:30 on the spring day opens at 03:30 EDT" },
    { zone: "America/New_York", start: "02:30", end: "05:00", at: "2026-03-08T06:45:00Z", expected: undefined, why: "…and is not open an hour earlier (01:45 EST)" },
    { zone: "America/New_York", start: "02:30", end: "03:15", at: "2026-03-08T07:20:00Z", expected: undefined, why: "a window whose converted end is before its start (03:30–03:15) does not open that day" },
    { zone: "Europe/Berlin", start: "01:00", end: "02:30", at: "2026-03-29T01:15:00Z", expected: ["2026-03-29T00:00:00.000Z", "2026-03-29T01:30:00.000Z"], why: "a Berlin window ending at 02:30 on the spring day ends at 03:30 CEST" },
    { zone: "Australia/Lord_Howe", start: "02:00", end: "03:00", at: "2026-10-03T15:45:00Z", expected: ["2026-10-03T15:30:00.000Z", "2026-10-03T16:00:00.000Z"], why: "Lord Howe 02:00–03:00 on the spring day is the half hour from 02:30" },
    // Windows inside the overlap: a start that happens twice opens at the first pass.
    { zone: "America/New_York", start: "01:00", end: "02:00", at: "2026-11-01T06:30:00Z", expected: ["2026-11-01T05:00:00.000Z", "2026-11-01T07:00:00.000Z"], why: "New York 01:00–02:00 on the autumn day covers both passes of that hour" },
    { zone: "Europe/Berlin", start: "02:15", end: "02:45", at: "2026-10-25T00:30:00Z", expected: ["2026-10-25T00:15:00.000Z", "2026-10-25T00:45:00.000Z"], why: "Berlin 02:15–02:45 on the autumn day is the first pass" },
    { zone: "Europe/Berlin", start: "02:15", end: "02:45", at: "2026-10-25T01:30:00Z", expected: undefined, why: "…not the second" },
    { zone: "Australia/Lord_Howe", start: "01:30", end: "01:50", at: "2026-04-04T14:40:00Z", expected: ["2026-04-04T14:30:00.000Z", "2026-04-04T14:50:00.000Z"], why: "Lord Howe 01:30–01:50 on the autumn day is the first pass" },
  ])("$why", ({ zone, start, end, at, expected }) => {
    expect(window(zone, start, end, at)).toEqual(expected);
  });

  test("weekdays are the zone's local days, not UTC's", () => {
    // Monday 08:00 in Lord Howe is still Sunday in UTC.
    const mondays = { start: "08:00", end: "09:00", timezone: "Australia/Lord_Howe", days: ["mon" as const] };
    expect(windowAround(mondays, new Date("2026-10-04T21:30:00Z"))).toBeDefined();
    expect(windowAround({ ...mondays, days: ["sun" as const] }, new Date("2026-10-04T21:30:00Z"))).toBeUndefined();
  });
});

describe("the consumers: maintenance on the page and in the rules, quiet hours in the outbox", () => {
  const maintenance = makeIncident({
    id: "2026-03-01-nightly-db",
    kind: "maintenance",
    status: "scheduled",
    providers: ["api"],
    recurrence: { start: "02:30", duration: "1h", timezone: "America/New_York" },
  });

  test("the public page lists the New York 02:30 window of 2026-03-08 at 03:30 EDT", () => {
    const windows = maintenanceWindows(maintenance.frontmatter, new Date("2026-03-08T05:00:00Z"));
    expect(windows[0]).toMatchObject({ start: "2026-03-08T07:30:00.000Z", end: "2026-03-08T08:30:00.000Z", status: "scheduled" });
    expect(windows[1]).toMatchObject({ start: "2026-03-09T06:30:00.000Z" });
  });

  test("alert rules are muted from 03:30 EDT, not an hour early", () => {
    const calendar = maintenanceCalendar([maintenance], Date.parse("2026-03-08T00:00:00Z"), Date.parse("2026-03-09T00:00:00Z"));
    expect(calendar.at("api", Date.parse("2026-03-08T06:45:00Z"))).toBeUndefined();
    expect(calendar.at("api", Date.parse("2026-03-08T07:45:00Z"))).toBe("2026-03-01-nightly-db");
    expect(recurrenceAround(maintenance.frontmatter.recurrence!, new Date("2026-03-08T08:29:00Z"))).toBeDefined();
    expect(recurrenceAround(maintenance.frontmatter.recurrence!, new Date("2026-03-08T08:30:00Z"))).toBeUndefined();
  });

  test("a notification held by quiet hours goes out when they end on the spring morning (07:00 EDT)", () => {
    const config = makeConfig({
      routes: [{ id: "chat", channel: "webhook", url: "http://127.0.0.1:1/chat", quietHours: { start: "22:00", end: "07:00", timezone: "America/New_York" } }],
      severityRoutes: { critical: ["chat"], high: ["chat"], warning: ["chat"], info: ["chat"] },
    });
    const at = "2026-03-08T08:00:00.000Z";
    const outbox = planNotifications({
      now: new Date(at),
      events: [{ type: "fired", rule: "rule", at, episode: "rule@20260308T0800Z", severity: "warning", routes: ["chat"], checks: ["web"], providers: ["api"], onsetAt: at, detail: "down", muted: undefined, incident: undefined }],
      rules: [makeRule({ checks: ["web"], condition: { type: "state" }, severity: "warning" })],
      providers: [makeProvider("api", [{ id: "web" }])],
      routes: config.routes,
      alerts: {},
      outbox: [],
    } as Parameters<typeof planNotifications>[0]);
    expect(outbox[0]).toMatchObject({ status: "delayed", nextAttemptAt: "2026-03-08T11:00:00.000Z" });
  });

  test("time zones are validated by the same library", () => {
    expect(isTimeZone("Australia/Lord_Howe")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
