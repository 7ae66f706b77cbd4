/**
 * Canary secrets and the search for them. A canary is random (so any hit is a leak, not a coincidence) and
 * holds the characters URL parsers, JSON and HTML re-encode. The search looks for every form a secret can
 * take on the way out, written here independently of the redactor it checks: the exact text in any case,
 * percent-encoded as encodeURIComponent, URLSearchParams and the WHATWG URL parser write it (path and
 * query), JSON- and HTML-escaped, base64 at every byte alignment in both alphabets, and the pieces a cut
 * leaves (its first and last ten characters).
 */
import { randomBytes } from "node:crypto";

/** `label` + 12 random hex digits + the characters that get re-encoded + 8 more random hex digits. */
export function canary(label: string): string {
  return `${label}${randomBytes(6).toString("hex")}'q"u|o t/${randomBytes(4).toString("hex")}`;
}

/** Every form of `secret` a leak could take, each with a name for the failure message. */
export function formsOf(secret: string): Map<string, string> {
  const forms = new Map<string, string>();
  const add = (name: string, form: string) => forms.set(form, name);
  for (const [name, text] of [["as is", secret], ["lower-cased", secret.toLowerCase()], ["upper-cased", secret.toUpperCase()]] as const) {
    add(name, text);
    add(`${name}, first 10 characters`, text.slice(0, 10));
    add(`${name}, last 10 characters`, text.slice(-10));
  }
  add("encodeURIComponent", encodeURIComponent(secret));
  add("encodeURIComponent, lower-case hex", encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  add("URLSearchParams", new URLSearchParams({ q: secret }).toString().slice(2));
  add("URL path", new URL(`http://h/${secret}`).pathname.slice(1));
  add("URL query", new URL(`http://h/?${secret}`).search.slice(1));
  add("JSON", JSON.stringify(secret).slice(1, -1));
  add("HTML", secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"));
  const bytes = Buffer.from(secret);
  for (let offset = 0; offset < 3; offset++) {
    for (const alphabet of ["base64", "base64url"] as const) {
      const text = Buffer.concat([Buffer.alloc(offset, 0x41), bytes]).toString(alphabet);
      // Characters that mix in bytes before or after the secret vary with them; leave them out.
      add(`${alphabet} at byte offset ${offset}`, text.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6)));
    }
  }
  return forms;
}

/** Every form of every secret found in `content`, as `name of the form` strings (empty when clean). */
export function leaksIn(content: Buffer | string, secrets: readonly string[]): string[] {
  const buffer = typeof content === "string" ? Buffer.from(content) : content;
  const found: string[] = [];
  for (const secret of secrets) {
    for (const [form, name] of formsOf(secret)) if (buffer.includes(form)) found.push(`${secret.slice(0, 12)}… ${name}`);
  }
  return found;
}
