/**
 * Fills `${env:NAME}` placeholders of a route from the environment at delivery time. The values found are
 * returned too, so every error text can be scrubbed of them before it reaches the state file or a log.
 */
import { DeliveryError } from "./channel.ts";

const PLACEHOLDER = /\$\{env:([A-Z_][A-Z0-9_]*)\}/g;

export function fillPlaceholders<T>(value: T, env: NodeJS.ProcessEnv, secrets: Set<string>): T {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_, name: string) => {
      const found = env[name];
      // Permanent: the route cannot work until someone sets it, so the message becomes a dead letter and is announced.
      if (found === undefined || found === "") throw new DeliveryError(`the environment variable ${name} is not set`, { permanent: true });
      secrets.add(found);
      return found;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((entry) => fillPlaceholders(entry, env, secrets)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fillPlaceholders(entry, env, secrets)])) as T;
  }
  return value;
}

/** Replaces every secret value (and its URL-encoded form) in a text with `***`. */
export function scrub(text: string, secrets: ReadonlySet<string>): string {
  let clean = text;
  for (const secret of [...secrets].filter((value) => value.length >= 4).sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) clean = clean.split(form).join("***");
  }
  return clean;
}
