import { z } from "zod";
import { isTimeZone, WEEKDAYS } from "../zones.ts";
import { DURATION_PATTERN, parseDuration } from "../duration.ts";

/** Identifiers used in file names, URLs and cross references. */
export const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must use lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit");

/** A duration such as `30s`, `5m`, `1h30m`; parsed to milliseconds. */
export const duration = z
  .string()
  .regex(DURATION_PATTERN, "must be a duration such as 500ms, 30s, 5m, 2h or 7d")
  .transform(parseDuration);

/** Wall-clock time of day, `HH:MM`, 24-hour. */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day such as 06:00 or 22:30");

/** An IANA time zone such as `UTC` or `Europe/Berlin`. */
export const timeZone = z.string().refine(isTimeZone, "must be an IANA time zone such as UTC or Europe/Berlin");

/**
 * An http or https address. zod's url() accepts any scheme, and a `javascript:` or `data:` address in a
 * link or a page setting would run in a reader's browser, so nothing else is accepted.
 */
export const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http:// or https:// address" });

/** A point in time with an explicit offset, e.g. `2026-11-16T10:45:00Z`. */
export const instant = z.iso.datetime({ offset: true, message: "must be a date and time with a time zone, such as 2026-11-16T10:45:00Z" });

export const weekday = z.enum(WEEKDAYS);

/** Text that may hold `${env:NAME}` placeholders, resolved from the environment at run time. */
export const envText = z.string().refine((text) => !/\$\{(?!env:[A-Z_][A-Z0-9_]*\})/.test(text), {
  message: "placeholders must look like ${env:NAME} with NAME in capitals, digits and underscores",
});

/** A window of time-of-day on some weekdays, crossing midnight when `end` is before `start`. */
export const dailyWindow = z.strictObject({
  start: timeOfDay.describe("Start of the window, HH:MM in `timezone`."),
  end: timeOfDay.describe("End of the window, HH:MM in `timezone`; earlier than `start` means the window crosses midnight."),
  days: z.array(weekday).optional().describe("Weekdays on which the window opens (the day it starts on); all days when left out."),
  timezone: timeZone.default("UTC").describe("Time zone of `start` and `end`."),
});
