/**
 * What public markdown (update messages and summaries) the page can render safely. Past these limits the
 * markdown renderer recurses too deep (2,000 `>` overflow its stack) or takes seconds and gigabytes, so
 * such text is shown as escaped plain text instead, and validate warns about it. One predicate, used by
 * the cross-file rules (the warning names the file) and by the public renderer (the fallback).
 */

/** Longer messages are shown as plain text: an update is a few sentences, a summary a few paragraphs. */
export const MARKDOWN_MAX_CHARS = 20_000;
/** Blockquotes and lists nested deeper than this are shown as plain text. */
export const MARKDOWN_MAX_DEPTH = 8;

/** Opening containers of one line: blockquote markers and list bullets, each optionally indented. */
const CONTAINER = /^[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?/;

/** How deeply a line is nested: container markers plus indentation (two spaces or a tab a level). */
function lineDepth(line: string): number {
  let depth = 0;
  let rest = line;
  let indent = 0;
  for (let match = CONTAINER.exec(rest); match; match = CONTAINER.exec(rest)) {
    indent += match[0].match(/^[ \t]*/)![0].replace(/\t/g, "  ").length;
    depth++;
    rest = rest.slice(match[0].length);
    if (depth > MARKDOWN_MAX_DEPTH) break;
  }
  return depth + Math.floor(indent / 2);
}

/** Why `text` cannot be rendered as markdown safely, or undefined when it can. */
export function markdownLimitExceeded(text: string): string | undefined {
  if (text.length > MARKDOWN_MAX_CHARS) return `is ${text.length.toLocaleString("en")} characters long (more than ${MARKDOWN_MAX_CHARS.toLocaleString("en")})`;
  let deepest = 0;
  for (const line of text.split("\n")) deepest = Math.max(deepest, lineDepth(line));
  if (deepest > MARKDOWN_MAX_DEPTH) return `nests quotes or lists more than ${MARKDOWN_MAX_DEPTH} levels deep`;
  return undefined;
}
