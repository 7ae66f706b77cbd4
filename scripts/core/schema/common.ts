import { z } from "zod";
import { isTimeZone, WEEKDAYS } from "../zones.ts";
import { DURATION_PATTERN, formatDuration, parseDuration } from "../duration.ts";
import { isSecretHeader } from "../redaction.ts";
import { literalSecret } from "../secrets.ts";

/** Identifiers used in file names, URLs and cross references. */
export const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must use lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit");

/** Longer durations are refused: dates that far out are no use to a monitor and overflow date arithmetic. */
const MAX_DURATION_MS = 36_500 * 86_400_000;

/** A duration such as `30s`, `5m`, `1h30m`; parsed to milliseconds. */
export const duration = z
  .string()
  .regex(DURATION_PATTERN, "must be a duration such as 500ms, 30s, 5m, 2h or 7d")
  .transform(parseDuration)
  .refine((ms) => ms <= MAX_DURATION_MS, "must be at most 36500d (100 years)");

/** A duration within [min, max], worded in durations. */
function boundedDuration(minMs: number, maxMs: number, why: string) {
  return duration.refine((ms) => ms >= minMs && ms <= maxMs, `must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}${why}`);
}

/** How often a check runs: 0 would probe it on every run and cannot be a cadence. */
export const cadence = boundedDuration(1_000, 7 * 86_400_000, "");

/**
 * A duration a timer waits for (timeouts, budgets, pauses). A Node.js timer keeps at most 2^31 - 1 ms (about
 * 24.8 days) and fires after 1 ms for anything longer, so longer waits are refused: 24d is the whole days below.
 */
export const timerDuration = boundedDuration(10, 24 * 86_400_000, " (a timer cannot wait longer)");

/** Wall-clock time of day, `HH:MM`, 24-hour. */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day such as 06:00 or 22:30");

/** An IANA time zone such as `UTC` or `Europe/Berlin`. */
export const timeZone = z.string().refine(isTimeZone, "must be an IANA time zone such as UTC or Europe/Berlin");

/** A point in time with an explicit offset, e.g. `2026-11-16T10:45:00Z`. */
export const instant = z.iso.datetime({ offset: true, message: "must be a date and time with a time zone, such as 2026-11-16T10:45:00Z" });

export const weekday = z.enum(WEEKDAYS);

/** Text that may hold `${env:NAME}` placeholders, resolved from the environment at run time. */
export const envText = z.string().refine((text) => !/\$\{(?!env:[A-Z_][A-Z0-9_]*\})/.test(text), {
  message: "placeholders must look like ${env:NAME} with NAME in capitals, digits and underscores",
});

/**
 * A secret (token, password, routing key, a webhook address that embeds a token): nothing but an
 * `${env:NAME}` placeholder, whose value must be at least 8 characters long when it is resolved.
 */
export const secretText = refuseLiteral(envText, "secret").meta({ secret: true });

/** An address that may carry credentials: a password or a secret-looking query value must be a placeholder. */
export const urlText = refuseLiteral(envText, "url");

/** Request headers: credential headers (Authorization, X-Api-Key, Cookie…) only as placeholders. */
export const headersText = z.record(z.string(), envText).superRefine((headers, context) => {
  for (const [name, value] of Object.entries(headers)) {
    const problem = isSecretHeader(name) ? literalSecret(value, "header") : undefined;
    if (problem) context.addIssue({ code: "custom", path: [name], message: problem });
  }
});

function refuseLiteral<S extends z.ZodType<string>>(schema: S, place: "secret" | "url") {
  return schema.superRefine((text, context) => {
    const problem = literalSecret(text, place);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
}

/** Keys of an object's fields declared `secretText`: the resolver refuses short values there. */
export function secretKeysOf(shape: z.ZodRawShape): Set<string> {
  return new Set(Object.entries(shape).filter(([, schema]) => isSecret(schema as z.ZodType)).map(([key]) => key));
}

function isSecret(schema: z.ZodType): boolean {
  if (schema.meta()?.secret === true) return true;
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
  return (def.type === "optional" || def.type === "default" || def.type === "prefault") && def.innerType !== undefined && isSecret(def.innerType);
}

/**
 * The address a link may open, or undefined: http and https only. A `javascript:` or `data:` address runs
 * code or shows forged content in the reader's browser, so it is never a link, in a file or on a page.
 */
export function httpHref(text: string | undefined): string | undefined {
  if (!text || !/^https?:\/\//i.test(text.trim())) return undefined;
  try {
    return new URL(text.trim()).href;
  } catch {
    return undefined;
  }
}

/**
 * An http or https address (links, page settings, API addresses). zod's url() accepts any scheme, and a
 * `javascript:` or `data:` address would run in a reader's browser, so nothing else is accepted.
 */
export const httpLink = z
  .string()
  .refine((text) => httpHref(text) !== undefined, "must be an http:// or https:// address")
  .meta({ format: "uri" });

/** A window of time-of-day on some weekdays, crossing midnight when `end` is before `start`; never empty. */
export const dailyWindow = z
  .strictObject({
    start: timeOfDay.describe("Start of the window, HH:MM in `timezone`."),
    end: timeOfDay.describe("End of the window, HH:MM in `timezone`; earlier than `start` means the window crosses midnight."),
    days: z.array(weekday).optional().describe("Weekdays on which the window opens (the day it starts on); all days when left out."),
    timezone: timeZone.default("UTC").describe("Time zone of `start` and `end`."),
  })
  .refine((window) => window.start !== window.end, {
    message: "must differ from start: a window that ends where it starts has no length (for all day, leave the window out)",
    path: ["end"],
  });
