import { describe, expect, test } from "vitest";
import { recurrenceAround, windowAround } from "../../scripts/core/alerts/windows.ts";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("daily windows in time zones", () => {
  test.each([
    { at: "2026-11-16T21:30:00Z", zone: "Europe/Berlin", start: "22:00", end: "07:00", expected: ["2026-11-16T21:00:00.000Z", "2026-11-17T06:00:00.000Z"], why: "22:30 Berlin, window crossing midnight, opened today" },
    { at: "2026-11-17T05:59:00Z", zone: "Europe/Berlin", start: "22:00", end: "07:00", expected: ["2026-11-16T21:00:00.000Z", "2026-11-17T06:00:00.000Z"], why: "06:59 Berlin, opened yesterday" },
    { at: "2026-11-17T06:00:00Z", zone: "Europe/Berlin", start: "22:00", end: "07:00", expected: undefined, why: "07:00 Berlin, the end is exclusive" },
    { at: "2026-03-29T04:30:00Z", zone: "Europe/Berlin", start: "22:00", end: "07:00", expected: ["2026-03-28T21:00:00.000Z", "2026-03-29T05:00:00.000Z"], why: "the night clocks spring forward is an hour shorter" },
    { at: "2026-11-16T12:00:00Z", zone: "Asia/Kolkata", start: "09:00", end: "18:00", expected: ["2026-11-16T03:30:00.000Z", "2026-11-16T12:30:00.000Z"], why: "a half-hour offset" },
  ])("$why", ({ at, zone, start, end, expected }) => {
    const found = windowAround({ start, end, timezone: zone }, new Date(at));
    expect(found ? [iso(found.start), iso(found.end)] : undefined).toEqual(expected);
  });

  test("weekdays name the day a window opens", () => {
    const fridayNights = { start: "22:00", end: "06:00", timezone: "UTC", days: ["fri" as const] };
    expect(windowAround(fridayNights, new Date("2026-11-21T03:00:00Z"))).toBeDefined(); // Saturday 03:00, opened Friday
    expect(windowAround(fridayNights, new Date("2026-11-22T03:00:00Z"))).toBeUndefined(); // Sunday 03:00, opened Saturday
  });
});

describe("recurring windows", () => {
  test("an occurrence that crosses midnight, and `until`", () => {
    const nightly = { start: "23:00", duration: 2 * 3_600_000, timezone: "America/New_York", until: "2026-11-20T00:00:00Z" };
    expect(iso(recurrenceAround(nightly, new Date("2026-11-17T05:30:00Z"))?.start)).toBe("2026-11-17T04:00:00.000Z");
    expect(recurrenceAround(nightly, new Date("2026-11-17T06:30:00Z"))).toBeUndefined();
    expect(recurrenceAround(nightly, new Date("2026-11-21T05:30:00Z"))).toBeUndefined();
  });
});
