/**
 * Keeps secrets out of everything a run writes. Two layers: the exact values known to be secret (from
 * `${env:…}`, URL credentials, auth headers, secret-looking query values) are replaced wherever they
 * appear, in plain, URL-encoded and base64 form; and patterns catch credentials the run could not know
 * in advance, such as a token in a redirect's Location or a `user:password@` in a library's message.
 */
export const REDACTED = "[redacted]";

/** Shorter values are left alone: replacing "1" or "on" everywhere would destroy every message. */
const MIN_SECRET_LENGTH = 4;

const SECRET_NAME = /token|secret|passw|pwd|key|auth|sig|credential|session|cookie|code/i;
const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\//i;

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
  for (const [name, value] of url.searchParams) if (SECRET_NAME.test(name)) secrets.push(value);
  return secrets.filter(Boolean);
}

/** Values of credential headers, and the token after a scheme word such as `Bearer`. */
export function secretsOfHeaders(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name]) => isSecretHeader(name))
    .flatMap(([, value]) => [value, value.replace(/^\s*\S+\s+/, "")]);
}

/**
 * Secrets found anywhere inside a resolved check: every URL-looking string and every `headers` map.
 * Check types differ in their fields, so this walks them all rather than knowing each type.
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
  return found.filter((secret) => secret !== REDACTED);
}

/** A redactor for the given secrets (plus the patterns every redactor applies). */
export function createRedactor(secrets: Iterable<string>): Redact {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString("base64").replace(/=+$/, ""));
  }
  const ordered = [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const form of ordered) result = result.split(form).join(REDACTED);
    if (!HINT.test(result)) return result;
    for (const pattern of PATTERNS) result = result.replace(pattern, (match, secret: string) => (secret === REDACTED ? match : match.replace(secret, REDACTED)));
    return result;
  };
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

/** The token of a Basic Authorization header. */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString("base64");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
