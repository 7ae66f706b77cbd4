/**
 * The one redactor: keeps secrets out of everything a probe run or a delivery writes or prints. Two layers:
 *
 * - The values known to be secret (from `${env:…}`, URL credentials, credential headers, secret-looking
 *   query values) are removed in every encoding they take on the way out: as written or with any letter's
 *   case changed (an echo that lower-cases), percent-encoded the way URL parsers write it (either hex case,
 *   `+` for a space, encoded twice), JSON-escaped, as HTML entities, and base64 (standard or URL alphabet) at
 *   every byte alignment, so a secret inside a longer encoded text is found too. A piece of a secret cut off
 *   by somebody else's truncation (`"tok_abcdef"...`, a 200-character excerpt) is removed when it ends at the
 *   cut or at the end of the text.
 * - Patterns catch credentials the run could not know in advance, such as a token in a redirect's Location
 *   or a `user:password@` in a library's message.
 *
 * Callers redact before they cut any text short: a cut secret no longer matches its full forms.
 */
import { comparable, decodeText, type DecodedText } from "./decoded-text.ts";

export const REDACTED = "[redacted]";

/**
 * Shorter secrets are refused where a secret is configured (scripts/core/secrets.ts) and never redacted
 * elsewhere: a short value is guessable, and removing it everywhere would shred ordinary text (GitLab's
 * masked CI variables have the same floor of 8 characters).
 */
export const MIN_SECRET_LENGTH = 8;

/** A piece of a secret left by a cut is removed from this length on: long enough not to hit ordinary words. */
const MIN_PIECE = 6;

const SECRET_NAME = /token|secret|passw|pwd|key|auth|sig|credential|session|cookie|code/i;
const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/./i;

/** Credentials anybody would recognise; the first group is the secret itself. */
const PATTERNS: RegExp[] = [
  // user:password@ (or a bare token@) after a scheme
  /\b[a-z][a-z0-9+.-]*:\/\/([^/\s@?#]+)@/gi,
  // ?token=… &api_key=… &X-Amz-Signature=…
  /[?&;][^=&\s#"']*(?:token|secret|passw|pwd|key|auth|sig|credential|session|code)[^=&\s#"']*=([^&\s#"']+)/gi,
  // Authorization: Bearer …, Basic …, Token …
  /\b(?:bearer|basic|token|digest)\s+([A-Za-z0-9._~+/=-]{8,})/gi,
];

/** Text without any of these cannot match a pattern: most text, so it skips the patterns. */
const HINT = /@|[?&;]|bearer|basic|token|digest/i;

export type Redact = (text: string) => string;

/** Whether a header's value is a credential (Authorization, Cookie, X-Api-Key, X-Auth-Token…). */
export function isSecretHeader(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Whether a query parameter's value is a credential (`token`, `api_key`, `X-Amz-Signature`…). */
export function isSecretParameter(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Credentials carried by a URL: the password (or a lone user token), the values of secret-looking query parameters. */
export function secretsOfUrl(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const [user, password] = [safeDecode(url.username), safeDecode(url.password)];
  // With a password, the user is a name; alone (https://TOKEN@host) it is the credential itself.
  const secrets = password ? [url.password, password] : [url.username, user];
  // The probe turns URL credentials into a Basic Authorization header: that encoding is a secret too.
  if (user || password) secrets.push(basicCredentials(user, password));
  for (const [name, value] of url.searchParams) if (isSecretParameter(name)) secrets.push(value);
  return secrets.filter(Boolean);
}

/** Values of credential headers, and the token after a scheme word such as `Bearer`. */
export function secretsOfHeaders(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name]) => isSecretHeader(name))
    .flatMap(([, value]) => [value, value.replace(/^\s*\S+\s+/, "")]);
}

/**
 * Secrets found anywhere inside a resolved check or route: every URL-looking string and every `headers`
 * map. Types differ in their fields, so this walks them all rather than knowing each type.
 */
export function secretsIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, key?: string) => {
    if (typeof node === "string") {
      if (URL_PREFIX.test(node)) found.push(...secretsOfUrl(node));
    } else if (Array.isArray(node)) node.forEach((child) => visit(child));
    else if (node !== null && typeof node === "object") {
      if (key === "headers") found.push(...secretsOfHeaders(node as Record<string, string>));
      for (const [childKey, child] of Object.entries(node)) visit(child, childKey);
    }
  };
  visit(value);
  return found;
}

/**
 * Secrets that show themselves by their shape somewhere in a value (a `token=` in a redirect's
 * Location, a Bearer token echoed in a body): learnt first, they are then removed everywhere they
 * occur, also where nothing about the place looks secret.
 */
export function discoverSecrets(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (typeof node === "string") {
      if (!HINT.test(node)) return;
      for (const pattern of PATTERNS) {
        for (const match of node.matchAll(pattern)) {
          const secret = match[1]!;
          found.push(secret, safeDecode(secret));
          // user:password learnt from a URL: the password alone may appear elsewhere too.
          if (secret.includes(":")) found.push(safeDecode(secret.slice(secret.indexOf(":") + 1)));
        }
      }
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") Object.values(node).forEach(visit);
  };
  visit(value);
  return found.filter((secret) => !secret.includes(REDACTED));
}

/** A redactor for the given secrets (plus the patterns every redactor applies). */
export function createRedactor(secrets: Iterable<string>): Redact {
  const forms: Form[] = [];
  for (const secret of [...new Set(secrets)].filter((candidate) => candidate.length >= MIN_SECRET_LENGTH)) {
    const same = comparable(secret);
    const fold = same.toLowerCase().length === same.length;
    forms.push({ text: fold ? same.toLowerCase() : same, fold, pieces: true });
    for (const fragment of base64Fragments(secret)) forms.push({ text: comparable(fragment), fold: false, pieces: false });
  }
  return (text) => {
    let result = forms.length > 0 ? replaceSpans(text, secretSpans(decodeText(text), forms)) : text;
    if (!HINT.test(result)) return result;
    for (const pattern of PATTERNS) result = result.replace(pattern, (match, secret: string) => (secret.includes(REDACTED) ? match : match.replace(secret, REDACTED)));
    return result;
  };
}

interface LearningRedact extends Redact {
  /** Learns the credentials that show themselves by their shape anywhere in `value` (discoverSecrets). */
  learn(value: unknown): void;
}

/**
 * A redactor that also learns: every text it redacts, and every value it is shown, teaches it the
 * credentials found there by their shape, which it then removes from everything after, also where nothing
 * about the place looks secret (a `token=` in a Location header, then the same value elsewhere in a body).
 */
export function learningRedactor(secrets: Iterable<string>): LearningRedact {
  const known = new Set(secrets);
  let redact = createRedactor(known);
  const learn = (value: unknown) => {
    const fresh = discoverSecrets(value).filter((secret) => !known.has(secret));
    if (fresh.length === 0) return;
    for (const secret of fresh) known.add(secret);
    redact = createRedactor(known);
  };
  return Object.assign(
    (text: string) => {
      learn(text);
      return redact(text);
    },
    { learn },
  );
}

/** Applies a redactor to every string inside a value (keys included), returning a copy. */
export function redactDeep<T>(value: T, redact: Redact): T {
  const visit = (node: unknown): unknown => {
    if (typeof node === "string") return redact(node);
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([key, child]) => [redact(key), visit(child)]));
    return node;
  };
  return visit(value) as T;
}

/** Whether a text holds one of the redactor's secrets (or a credential by its shape). */
export function carriesSecret(text: string, redact: Redact): boolean {
  return redact(text) !== text;
}

/** The token of a Basic Authorization header. */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString("base64");
}

/** One form a secret is searched in: its text as `comparable` makes it, lower-cased when `fold`. */
interface Form {
  text: string;
  fold: boolean;
  /** Whether a piece of it left by a cut is searched too. */
  pieces: boolean;
}

/** Where a truncation usually leaves its mark: an ellipsis, maybe after a closing quote. */
const CUT_MARK = /["'\u201d]?(?:\u2026|\.\.\.)["'\u201d]?/g;

/** Spans of the original text that hold a form of a secret: whole, or a piece of at least MIN_PIECE at a cut. */
function secretSpans(decoded: DecodedText, forms: readonly Form[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const span = (from: number, length: number) => spans.push({ start: decoded.spanAt(from).start, end: decoded.spanAt(from + length - 1).end });
  const cuts = [...decoded.exact.matchAll(CUT_MARK)].map((mark) => ({ before: mark.index, after: mark.index + mark[0].length }));
  for (const form of forms) {
    const haystack = form.fold ? decoded.folded : decoded.exact;
    for (let at = haystack.indexOf(form.text); at >= 0; at = haystack.indexOf(form.text, at + 1)) span(at, form.text.length);
    if (!form.pieces || form.text.length <= MIN_PIECE) continue;
    // A prefix that ends where a cut was made (or where the text ends), and a suffix that starts after one.
    for (const end of [...cuts.map((cut) => cut.before), haystack.length]) {
      for (let length = Math.min(form.text.length - 1, end); length >= MIN_PIECE; length--) {
        if (haystack.startsWith(form.text.slice(0, length), end - length)) {
          span(end - length, length);
          break;
        }
      }
    }
    for (const { after } of cuts) {
      for (let length = Math.min(form.text.length - 1, haystack.length - after); length >= MIN_PIECE; length--) {
        if (haystack.startsWith(form.text.slice(-length), after)) {
          span(after, length);
          break;
        }
      }
    }
  }
  return spans;
}

/** The text with every span (merged where they overlap) replaced by REDACTED. */
function replaceSpans(text: string, spans: { start: number; end: number }[]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let result = "";
  let from = 0;
  for (const { start, end } of spans) {
    if (end <= from) continue;
    if (start >= from) result += `${text.slice(from, start)}${REDACTED}`;
    from = end;
  }
  return result + text.slice(from);
}

/**
 * The base64 text that every encoding of the secret contains, whatever bytes come before and after it:
 * for each of the three alignments, the characters that depend on the secret's bytes alone (the first and
 * last characters of a group shared with neighbouring bytes are left out). Both alphabets.
 */
function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const fragments = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64").replace(/=+$/, "");
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const fragment = encoded.slice(start, end);
    if (fragment.length < MIN_PIECE) continue;
    fragments.add(fragment);
    fragments.add(fragment.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...fragments];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
