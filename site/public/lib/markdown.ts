/**
 * Operator-written markdown (public updates and summaries) to HTML that is safe to put in a page or a
 * feed: marked renders, sanitize-html keeps a small allow-list. No script, style, event handler, iframe or
 * form survives; links may only be http, https or mailto; headings become paragraphs so a message cannot
 * break the page's outline.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

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

export function renderMarkdown(text: string): string {
  return sanitizeHtml(marked.parse(text) as string, OPTIONS);
}

/** Plain text of a message, for image captions and short descriptions. */
export function plainText(text: string): string {
  return sanitizeHtml(marked.parse(text) as string, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
