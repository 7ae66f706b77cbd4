/**
 * Cutting a message to a channel's limit at block boundaries (one block per alert): as many whole alerts as
 * fit, then a note saying how many more there are; when even the first alert does not fit, as many whole
 * lines of it as fit; when one line does not fit, that line's plain text is shortened before any markup is
 * added. Markup is only ever added around whole plain text, so a cut never leaves an open tag, half an
 * entity or half a surrogate pair, and every cut says so.
 */
import { plainLines, type Line } from "./message.ts";

export const CUT_NOTE: Line = { kind: "note", text: "… cut to fit; the whole message is in the operations room" };

export interface Layout {
  /** The message from the blocks kept, saying that `omitted` more were left out. */
  render(blocks: readonly (readonly Line[])[], omitted: number): string;
  /** Whether a rendered message is within the channel's limit. */
  fits(text: string): boolean;
}

/** `text` shortened to `length` code points (never half a surrogate pair), with an ellipsis when cut. */
export function shorten(text: string, length: number): string {
  const points = [...text];
  return points.length <= length ? text : `${points.slice(0, Math.max(0, length - 1)).join("")}…`;
}

/** The longest prefix (in code points) of `text` whose rendering fits, found by halving; undefined when not even one character fits. */
function longestFitting(text: string, fits: (candidate: string) => boolean): string | undefined {
  if (fits(text)) return text;
  if (!fits(shorten(text, 1))) return undefined;
  let low = 1;
  let high = [...text].length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(shorten(text, mid))) low = mid;
    else high = mid - 1;
  }
  return shorten(text, low);
}

/**
 * One piece of text within a limit: `render(shortened)` must satisfy `fits` (render adds escaping or markup
 * around the plain text; lengths are UTF-16 units, which is what the channels count or more).
 */
export function fitText(text: string, fits: (rendered: string) => boolean, render: (text: string) => string = (plain) => plain): string {
  const kept = longestFitting(text, (candidate) => fits(render(candidate)));
  if (kept === undefined) throw new Error("the channel's length limit leaves no room for the message");
  return render(kept);
}

/** Renders `blocks` within the layout's limit; throws when not even a headline fits (a limit too small for any message). */
export function fit(blocks: readonly (readonly Line[])[], layout: Layout): string {
  const whole = layout.render(blocks, 0);
  if (layout.fits(whole)) return whole;
  // Fewer blocks are shorter: keep adding whole blocks while the message with its note still fits.
  let best: string | undefined;
  for (let kept = 1; kept < blocks.length; kept++) {
    const text = layout.render(blocks.slice(0, kept), blocks.length - kept);
    if (!layout.fits(text)) break;
    best = text;
  }
  if (best !== undefined) return best;
  // Not even the first block fits: whole lines of it, then part of the first line that does not fit.
  const first = blocks[0] ?? [];
  const omitted = blocks.length - 1;
  const withLines = (lines: readonly Line[]) => layout.render([[...lines, CUT_NOTE]], omitted);
  let lines = 0;
  while (lines < first.length && layout.fits(withLines(first.slice(0, lines + 1)))) lines++;
  const line = first[lines];
  const text = line && longestFitting(line.text, (candidate) => layout.fits(withLines([...first.slice(0, lines), { ...line, text: candidate }])));
  const partial = line && text !== undefined ? { ...line, text } : undefined;
  const kept = [...first.slice(0, lines), ...(partial ? [partial] : [])];
  if (kept.length === 0) throw new Error("the channel's length limit leaves no room for the message");
  return withLines(kept);
}

/**
 * Plain text within a limit: the grouped title when there is one, the alerts, and how many were left out;
 * `escape` is applied to the finished text (for channels that read `&`, `<` and `>` as syntax).
 */
export function fitPlain(blocks: readonly (readonly Line[])[], title: string | undefined, fits: (text: string) => boolean, escape: (text: string) => string = (text) => text): string {
  return fit(blocks, {
    render: (kept, omitted) => escape([...(title === undefined ? [] : [title]), ...kept.map(plainLines), ...(omitted ? [`…and ${omitted} more: see the operations room`] : [])].join("\n\n")),
    fits,
  });
}
