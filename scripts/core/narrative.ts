/**
 * The internal narrative (an incident file's markdown body) keeps a `## Timeline` list that automation and
 * the CLI append to; everything else in the body belongs to the operators and is never rewritten.
 */
const HEADING = "## Timeline";

export function timelineLine(at: string, text: string): string {
  return `- ${at} — ${text}`;
}

/** Appends lines to the end of the Timeline section, creating it at the end of the body when missing. */
export function appendTimeline(body: string, lines: readonly string[]): string {
  if (lines.length === 0) return body;
  const text = body.replace(/\s+$/, "");
  const rows = text.split("\n");
  const start = rows.findIndex((row) => row.trim() === HEADING);
  if (start === -1) return `${text ? `${text}\n\n` : ""}${HEADING}\n\n${lines.join("\n")}\n`;
  const next = rows.findIndex((row, index) => index > start && /^#{1,2} /.test(row));
  const end = next === -1 ? rows.length : next;
  let last = end;
  while (last > start + 1 && rows[last - 1]!.trim() === "") last--;
  const section = [...rows.slice(0, last), ...(last === start + 1 ? [""] : []), ...lines];
  const rest = rows.slice(end);
  return `${[...section, ...(rest.length ? ["", ...rest] : [])].join("\n")}\n`;
}
