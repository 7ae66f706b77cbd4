/** How the room writes times, durations and numbers. Pure: the build time and time zone are passed in. */
import { formatDuration } from "../../../scripts/core/duration.ts";
import { formatZoned } from "../../../scripts/core/zones.ts";

/** In the room's time zone, e.g. "2026-11-21 00:30 CET". */
export const absoluteTime = formatZoned;

export interface Moment {
  /** ISO time, for `<time datetime>`. */
  at: string;
  /** Relative to the build time, e.g. "5 minutes ago". */
  relative: string;
  /** In the room's time zone, e.g. "2026-11-20 11:55 UTC". */
  absolute: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;

export function relativeTime(at: string, now: Date): string {
  const delta = now.getTime() - Date.parse(at);
  const ahead = delta < 0;
  const span = Math.abs(delta);
  if (span < MINUTE) return "Just now";
  const amount =
    span < HOUR ? plural(Math.floor(span / MINUTE), "minute") : span < DAY ? plural(Math.floor(span / HOUR), "hour") : plural(Math.floor(span / DAY), "day");
  return ahead ? `in ${amount}` : `${amount} ago`;
}

export function moment(at: string, now: Date, timeZone: string): Moment {
  return { at, relative: relativeTime(at, now), absolute: absoluteTime(at, timeZone) };
}

export function optionalMoment(at: string | undefined, now: Date, timeZone: string): Moment | undefined {
  return at ? moment(at, now, timeZone) : undefined;
}

/** Milliseconds as people read latency: "84 ms", "1.25 s". */
export function latency(ms: number | undefined): string {
  if (ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A fraction as a percentage with as many decimals as it needs to not round to 100 % falsely. */
export function percent(fraction: number | undefined, decimals = 2): string {
  if (fraction === undefined) return "–";
  const value = fraction * 100;
  if (value === 100 || value === 0) return `${value}%`;
  return `${value.toFixed(decimals).replace(/\.?0+$/, "")}%`;
}

/** An elapsed time as people say it: "45 s", "12 min", "1 h 12 min", "2 d 3 h". */
export function elapsed(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

/** A window such as 3 600 000 as "1h". */
export function span(ms: number): string {
  return formatDuration(ms);
}

/** Fills `{name}` placeholders of a UI string. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Signed points of a signal breakdown: "+95", "−12.4", "0". */
export function points(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  if (rounded === 0) return "0";
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

/** Path segment safe for a static file name (request ids, run ids); stable for the same input. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || "-";
}
