/**
 * `${env:NAME}` placeholders are resolved when a check runs, never when it is loaded, so secret values
 * live only in memory for the length of a probe. Every value that came from the environment counts as a
 * secret: the redactor (redaction.ts) removes it from whatever the run writes.
 */
export const ENV_PLACEHOLDER = /\$\{env:([A-Z_][A-Z0-9_]*)\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Resolution<T> {
  value: T;
  /** Values taken from the environment. */
  secrets: string[];
  /** Names of variables the placeholders asked for that are not set. */
  missing: string[];
}

/** Resolves placeholders in every string inside `value`, except under the keys named in `skip`. */
export function resolveEnv<T>(value: T, env: Environment, skip: ReadonlySet<string> = new Set()): Resolution<T> {
  const secrets = new Set<string>();
  const missing = new Set<string>();
  const visit = (node: unknown): unknown => {
    if (typeof node === "string") {
      if (!node.includes("${env:")) return node;
      return node.replace(ENV_PLACEHOLDER, (placeholder, name: string) => {
        const found = env[name];
        if (found === undefined || found === "") {
          missing.add(name);
          return placeholder;
        }
        secrets.add(found);
        return found;
      });
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, skip.has(key) ? child : visit(child)]));
    }
    return node;
  };
  return { value: visit(value) as T, secrets: [...secrets], missing: [...missing] };
}
