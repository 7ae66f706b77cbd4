/** How numbers and times read on the public page: always UTC, written out for people. */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number) => String(n).padStart(2, "0");

/** "22 Nov 2026, 06:13 UTC" */
export function formatTime(iso: string): string {
  const at = new Date(iso);
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}, ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** "22 Nov 2026" from an ISO date or time. */
export function formatDate(iso: string): string {
  const at = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

/** "November 2026" from "2026-11". */
export function formatMonth(month: string): string {
  const at = new Date(`${month}-01T00:00:00Z`);
  return at.toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
}

/** Uptime as a percentage, truncated rather than rounded so a bad minute never reads as 100 %. */
export function formatUptime(fraction: number | undefined): string {
  if (fraction === undefined) return "no data yet";
  if (fraction >= 1) return "100%";
  return `${(Math.floor(fraction * 10_000) / 100).toFixed(2)}%`;
}

export function formatMs(ms: number | undefined): string {
  return ms === undefined ? "no data yet" : `${Math.round(ms)} ms`;
}

/** "2 h 5 min", "45 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}
