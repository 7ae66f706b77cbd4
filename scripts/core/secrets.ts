/**
 * The one resolver of `${env:NAME}` placeholders, for checks, routes and the GitHub settings alike.
 * Placeholders are resolved when a check runs or a notification is sent, never when files are loaded, so
 * secret values live only in memory for that long. Every value that came from the environment counts as a
 * secret: the redactor (redaction.ts) removes it from whatever is written.
 *
 * Some places hold nothing but secrets: fields a schema declares secret (`secretText`: tokens, passwords,
 * routing keys, webhook addresses that embed a token), credential headers, a URL's password and the values
 * of secret-looking query parameters. There a literal value is refused by validation (`literalSecret`), and a
 * value from the environment shorter than MIN_SECRET_LENGTH is refused when it is resolved.
 */
import { isSecretHeader, isSecretParameter, MIN_SECRET_LENGTH } from "./redaction.ts";

export const ENV_PLACEHOLDER = /\$\{env:([A-Z_][A-Z0-9_]*)\}/g;
const ONE_PLACEHOLDER = /^\$\{env:[A-Z_][A-Z0-9_]*\}$/;
/**
 * A credential header's value: `Bearer ${env:TOKEN}` (a scheme word, then the placeholder), or cookie-style
 * pairs whose values are placeholders (`sid=${env:SID}; csrf=${env:CSRF}`).
 */
const PLACEHOLDER_VALUE = String.raw`\$\{env:[A-Z_][A-Z0-9_]*\}`;
const CREDENTIAL_HEADER = new RegExp(String.raw`^(?:(?:[A-Za-z][A-Za-z0-9-]*\s+)?${PLACEHOLDER_VALUE}|[\w.-]+=${PLACEHOLDER_VALUE}(?:;\s*[\w.-]+=${PLACEHOLDER_VALUE})*)$`);

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Resolution<T> {
  value: T;
  /** Values taken from the environment. */
  secrets: string[];
  /** Names of variables the placeholders asked for that are not set. */
  missing: string[];
  /** Names of variables that fill a secret's place with fewer than MIN_SECRET_LENGTH characters. */
  weak: string[];
}

export interface ResolveOptions {
  /** Keys whose values are left as written (a condition's text, an id). */
  skip?: ReadonlySet<string>;
  /** Keys a schema declares secret (`secretText`), e.g. `routingKey`, `webhookUrl`. */
  secretKeys?: ReadonlySet<string>;
}

/** Resolves placeholders in every string inside `value`, except under the keys named in `skip`. */
export function resolveEnv<T>(value: T, env: Environment, options: ResolveOptions = {}): Resolution<T> {
  const { skip = new Set(), secretKeys = new Set() } = options;
  const secrets = new Set<string>();
  const missing = new Set<string>();
  const weak = new Set<string>();
  const visit = (node: unknown, key: string | undefined, parent: string | undefined): unknown => {
    if (typeof node === "string") {
      if (!node.includes("${env:")) return node;
      const wholeSecret = (key !== undefined && secretKeys.has(key)) || (parent === "headers" && key !== undefined && isSecretHeader(key));
      return node.replace(ENV_PLACEHOLDER, (placeholder, name: string, offset: number) => {
        const found = env[name];
        if (found === undefined || found === "") {
          missing.add(name);
          return placeholder;
        }
        if (found.length < MIN_SECRET_LENGTH && (wholeSecret || inUrlSecretPlace(node, offset))) weak.add(name);
        secrets.add(found);
        // A secret address (a webhook URL with its token in the path) may be echoed without its origin.
        const path = addressPath(found);
        if (path) secrets.add(path);
        return found;
      });
    }
    if (Array.isArray(node)) return node.map((child) => visit(child, undefined, key));
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([childKey, child]) => [childKey, skip.has(childKey) ? child : visit(child, childKey, key)]));
    }
    return node;
  };
  return { value: visit(value, undefined, undefined) as T, secrets: [...secrets], missing: [...missing], weak: [...weak] };
}

/** The sentence for variables whose values are too short to be secrets, or undefined. */
export function weakSecretsProblem(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const which = names.length > 1 ? `environment variables ${names.join(", ")} hold` : `environment variable ${names[0]} holds`;
  return `the ${which} a secret shorter than ${MIN_SECRET_LENGTH} characters; nothing was sent (a value that short cannot be kept out of logs and is easy to guess)`;
}

/**
 * Why a field's text puts a secret in the repository, or undefined: a field declared secret must be one
 * `${env:NAME}` placeholder, a credential header a placeholder after an optional scheme word (`Bearer`),
 * and a URL's password or secret-looking query value must be a placeholder.
 */
export function literalSecret(text: string, place: "secret" | "header" | "url"): string | undefined {
  if (place === "secret") return ONE_PLACEHOLDER.test(text) ? undefined : "holds a secret, so it must be an ${env:NAME} placeholder (secrets never live in the repository)";
  if (place === "header") return CREDENTIAL_HEADER.test(text) ? undefined : "is a credential header, so its value must be an ${env:NAME} placeholder, optionally after a scheme such as Bearer (cookies: name=${env:NAME})";
  const { password, parameters } = urlSecretParts(text);
  const literal = (part: string) => part !== "" && !ONE_PLACEHOLDER.test(part);
  if (literal(password)) return "has a password in it: write it as an ${env:NAME} placeholder (e.g. https://user:${env:PASSWORD}@host)";
  const named = parameters.find(([, value]) => literal(value));
  if (named) return `has a secret in its query (${named[0]}=…): write the value as an \${env:NAME} placeholder`;
  return undefined;
}

/** The path and query of a value that is an absolute address, when long enough to be a secret of its own. */
function addressPath(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+\/./i.test(value)) return undefined;
  const path = value.slice(value.indexOf("/", value.indexOf("://") + 3));
  return path.length >= MIN_SECRET_LENGTH ? path : undefined;
}

/** Whether the placeholder at `offset` of a URL-looking text sits in its user part or a secret query value. */
function inUrlSecretPlace(text: string, offset: number): boolean {
  const before = text.slice(0, offset);
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*$/i.test(before) && /^[^/?#]*@/.test(text.slice(offset))) return true;
  const parameter = /[?&]([^=&#]*)=[^&#]*$/.exec(before);
  return parameter !== null && before.includes("://") && isSecretParameter(parameter[1]!);
}

/** The password and secret-named query parameters of a URL as written (placeholders unresolved). */
function urlSecretParts(text: string): { password: string; parameters: [string, string][] } {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(text)?.[1] ?? "";
  const password = authority.includes(":") ? authority.slice(authority.indexOf(":") + 1) : "";
  const query = /\?([^#]*)/.exec(text)?.[1] ?? "";
  const parameters = query
    .split("&")
    .map((pair) => [pair.slice(0, pair.includes("=") ? pair.indexOf("=") : undefined), pair.includes("=") ? pair.slice(pair.indexOf("=") + 1) : ""] as [string, string])
    .filter(([name]) => isSecretParameter(name));
  return { password, parameters };
}
