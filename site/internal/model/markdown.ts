/** Operator-written incident markdown as HTML that is safe to put into the room: parsed, then sanitized. */
import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

const ALLOWED = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, "h1", "h2", "del"],
  allowedAttributes: {
    ...sanitizeHtml.defaults.allowedAttributes,
    a: ["href", "title", "rel"],
    code: ["class"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  // Headings in the narrative sit under the page's own h2 sections.
  transformTags: {
    h1: "h3",
    h2: "h3",
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }),
  },
} satisfies sanitizeHtml.IOptions;

export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return sanitizeHtml(html, ALLOWED);
}
