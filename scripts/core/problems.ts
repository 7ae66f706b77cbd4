import type { z } from "zod";

export type PathSegment = string | number;

/** Something wrong (or worth a look) in a file, located as precisely as the source allows. */
export interface Problem {
  severity: "error" | "warning";
  file: string;
  line?: number;
  col?: number;
  path: PathSegment[];
  message: string;
}

/** `file:line:col field.path: message`, the shape editors and CI annotations understand. */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.col ?? 1}`;
  const field = formatPath(problem.path);
  const prefix = problem.severity === "warning" ? "warning: " : "";
  return `${where} ${field ? `${field}: ` : ""}${prefix}${problem.message}`;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    const shown = printable(segment);
    return text ? `${text}.${shown}` : shown;
  }, "");
}

/**
 * Characters no configuration text should hold: C0 controls but tab and line breaks (NUL, ESC…), DEL, C1
 * controls, and the invisible direction overrides that make text read differently from what it is.
 */
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Control and direction characters as `\u0007`: a key from a file must not ring, recolour or reorder a terminal. */
function printable(text: string): string {
  return text.replace(new RegExp(`${CONTROL_CHARACTER.source}|[\\t\\n\\r]`, "g"), (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

export interface IssueMessage {
  path: PathSegment[];
  message: string;
  /** The message is about the key at `path`, not its value (e.g. an unknown field). */
  atKey?: boolean;
}

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/**
 * Turns zod issues into one sentence each, for people: what was expected, what was found, and a
 * suggestion when a name looks misspelt. `schema` lets unknown fields be matched to the known ones.
 */
export function describeIssues(issues: readonly Issue[], input: unknown, schema?: AnySchema): IssueMessage[] {
  return issues.flatMap((issue) => describeIssue(issue, [], input, schema));
}

function describeIssue(issue: Issue, prefix: PathSegment[], input: unknown, schema: AnySchema | undefined): IssueMessage[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const value = valueAt(input, path);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return [{ path, message: "is required" }];
      return [{ path, message: `expected ${typeName(issue.expected)}, received ${show(value)}` }];
    case "invalid_value":
      return [{ path, message: `expected ${issue.values.map((v) => String(v)).join(" | ")}, received ${show(value)}${suggest(value, issue.values)}` }];
    case "unrecognized_keys": {
      const known = knownKeys(schema, path, input);
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: `unknown field${suggest(key, known)}`,
      }));
    }
    case "invalid_union":
      return describeUnion(issue, path, input, schema);
    case "too_small":
      return [{ path, message: sizeMessage(issue.origin, "at least", issue.minimum, issue.inclusive, value) }];
    case "too_big":
      return [{ path, message: sizeMessage(issue.origin, "at most", issue.maximum, issue.inclusive, value) }];
    case "invalid_format":
      return [{ path, message: issue.message.startsWith("Invalid") ? `must be a valid ${issue.format}, received ${show(value)}` : issue.message }];
    default:
      return [{ path, message: issue.message }];
  }
}

function describeUnion(
  issue: Extract<Issue, { code: "invalid_union" }>,
  path: PathSegment[],
  input: unknown,
  schema: AnySchema | undefined,
): IssueMessage[] {
  const value = valueAt(input, path);
  if ("discriminator" in issue && issue.discriminator !== undefined && "options" in issue) {
    const options = (issue.options as unknown[]).map(String);
    if (value === undefined) return [{ path, message: `is required (one of ${options.join(" | ")})` }];
    return [{ path, message: `expected ${options.join(" | ")}, received ${show(value)}${suggest(value, options)}` }];
  }
  // Report the branch that got furthest: for an object, the branch whose complaints are inside it.
  const branches = issue.errors.filter((errors) => errors.length > 0);
  const inside = branches.filter((errors) => errors.every((e) => e.path.length > 0 || e.code === "unrecognized_keys"));
  const best = (inside.length > 0 ? inside : []).sort((a, b) => a.length - b.length)[0];
  if (best) return best.flatMap((inner) => describeIssue(inner, path, input, schema));
  const expected = branches.map((errors) => expectation(errors[0])).filter((text): text is string => Boolean(text));
  return [{ path, message: `expected ${[...new Set(expected)].join(" or ") || "another value"}, received ${show(value)}` }];
}

function expectation(issue: Issue | undefined): string | undefined {
  if (!issue) return undefined;
  if (issue.code === "invalid_type") return typeName(issue.expected);
  if (issue.code === "invalid_value") return issue.values.map((v) => String(v)).join(" | ");
  return undefined;
}

function sizeMessage(origin: string, bound: string, limit: number | bigint, inclusive: boolean | undefined, value: unknown): string {
  const n = Number(limit);
  if (origin === "string") return n === 1 && bound === "at least" ? "must not be empty" : `must be ${bound} ${n} characters long`;
  if (origin === "array" || origin === "set") {
    return n === 1 && bound === "at least" ? "must have at least one item" : `must have ${bound} ${n} items`;
  }
  const strict = inclusive === false ? (bound === "at least" ? "greater than" : "less than") : bound;
  return `must be ${strict} ${n}, received ${show(value)}`;
}

function typeName(expected: string): string {
  switch (expected) {
    case "string":
      return "text";
    case "number":
    case "int":
      return "a number";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a mapping";
    default:
      return expected;
  }
}

export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value) ?? String(value);
}

/** ` (did you mean "x"?)` when `value` looks like a misspelling of one of the candidates, else "". */
export function suggest(value: unknown, candidates: readonly unknown[]): string {
  if (typeof value !== "string" || value.length === 0) return "";
  const names = candidates.filter((c): c is string => typeof c === "string");
  const prefixed = names.filter((name) => name.toLowerCase().startsWith(value.toLowerCase()));
  if (prefixed.length === 1) return ` (did you mean "${prefixed[0]}"?)`;
  // A different number is a different value, not a typo: "SEV-5" is not "SEV-1".
  if (/\d/.test(value)) return "";
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(value.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best === undefined || bestDistance > Math.max(2, Math.floor(best.length / 3))) return "";
  return ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  valueType?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Known field names of the object schema found at `path`, following the input through unions. */
function knownKeys(schema: AnySchema | undefined, path: readonly PathSegment[], input: unknown): string[] {
  let current = schema;
  for (let i = 0; i <= path.length && current; i++) {
    current = unwrap(current, valueAt(input, path.slice(0, i)));
    if (!current) return [];
    if (i === path.length) break;
    const def = defOf(current);
    const segment = path[i]!;
    if (def.type === "object" && typeof segment === "string") current = def.shape?.[segment];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return [];
  }
  const def = current ? defOf(current) : undefined;
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

function unwrap(schema: AnySchema, value: unknown): AnySchema | undefined {
  let current: AnySchema | undefined = schema;
  for (let depth = 0; current && depth < 20; depth++) {
    const def = defOf(current);
    if (def.type === "optional" || def.type === "default" || def.type === "prefault" || def.type === "nullable") current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else if (def.type === "union") current = pickOption(def, value);
    else return current;
  }
  return current;
}

function pickOption(def: Def, value: unknown): AnySchema | undefined {
  const options = def.options ?? [];
  if (def.discriminator && value && typeof value === "object") {
    const tag = (value as Record<string, unknown>)[def.discriminator];
    return options.find((option) => {
      const shape = defOf(option).shape;
      const literal = shape?.[def.discriminator!];
      const values = literal ? (defOf(literal) as { values?: unknown[] }).values : undefined;
      return values?.includes(tag);
    });
  }
  return options.find((option) => defOf(option).type === "object");
}
