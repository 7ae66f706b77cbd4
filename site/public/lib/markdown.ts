/**
 * Operator-written markdown (public updates and summaries) to HTML that is safe to put in a page or a
 * feed: marked renders, sanitize-html keeps a small allow-list. No script, style, event handler, iframe or
 * form survives; links may only be http, https or mailto; headings become paragraphs so a message cannot
 * break the page's outline. Text past the limits of scripts/core/markdown-limits.ts (validate warns about
 * it, naming the file) and anything the renderer chokes on is shown as escaped plain text instead.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { MARKDOWN_MAX_CHARS, markdownLimitExceeded } from "../../../scripts/core/markdown-limits.ts";

const marked = new Marked({ gfm: true, breaks: true, async: false });

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "em", "b", "i", "code", "pre", "ul", "ol", "li", "a", "blockquote", "del"],
  allowedAttributes: { a: ["href", "title", "rel"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    h1: "p",
    h2: "p",
    h3: "p",
    h4: "p",
    h5: "p",
    h6: "p",
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener" }),
  },
};

/** Sanitizes HTML with the page's allow-list: the one sanitizer for the page and the feeds. */
export function sanitize(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** "…" past `length` characters. */
export function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Text as paragraphs of escaped text, shortened past the size limit. */
function escapedParagraphs(text: string): string {
  const shown = text.length > MARKDOWN_MAX_CHARS ? `${text.slice(0, MARKDOWN_MAX_CHARS)}… (shortened from ${text.length.toLocaleString("en")} characters)` : text;
  return shown
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

function render(text: string): string | undefined {
  if (markdownLimitExceeded(text)) return undefined;
  try {
    return marked.parse(text) as string;
  } catch {
    return undefined;
  }
}

export function renderMarkdown(text: string): string {
  const html = render(text);
  return html === undefined ? escapedParagraphs(text) : sanitize(html);
}

/** Plain text of a message (decoded: escape it again wherever it goes into markup), for captions and summaries. */
export function plainText(text: string): string {
  const html = render(text);
  const plain =
    html === undefined
      ? text.slice(0, MARKDOWN_MAX_CHARS)
      : sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&");
  return plain.replace(/\s+/g, " ").trim();
}
