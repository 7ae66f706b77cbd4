/**
 * The condition language of docs/conditions.md: one line per rule, `<placeholder> <operator> <value>`,
 * parsed once and evaluated against what a probe saw. Every outcome keeps the rule's text and the value
 * found, so a sample says which rule failed ("[STATUS] == 200 ✗ got 503").
 */
import { DURATION_PATTERN, parseDuration } from "./duration.ts";
import { suggest } from "./problems.ts";
import type { z } from "zod";
import type { conditionResult } from "./schema/records.ts";

type ConditionResult = z.infer<typeof conditionResult>;

export const PLACEHOLDERS = ["STATUS", "RESPONSE_TIME", "BODY", "HEADER", "CERT_DAYS", "METRIC", "CONNECTED", "DNS_RCODE"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const OPERATORS = ["==", "!=", "<=", ">=", "<", ">"] as const;
export type Operator = (typeof OPERATORS)[number];

type PathStep = string | number;

interface Reference {
  kind: "reference";
  placeholder: Placeholder;
  path: PathStep[];
  fn?: "len" | "has";
}

interface Literal {
  kind: "literal";
  text: string;
  number?: number;
}

type Operand = Reference | Literal;
type Expected = Operand | { kind: "pattern"; glob: RegExp; text: string } | { kind: "any"; options: Operand[] };

export interface Condition {
  text: string;
  left: Reference;
  operator: Operator;
  right: Expected;
}

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; error: string };

/** What a probe saw; a placeholder whose value is missing makes its condition fail with "got nothing". */
export interface ConditionContext {
  status?: number;
  responseTimeMs?: number;
  body?: string;
  headers?: Record<string, string>;
  certDays?: number;
  metrics?: Record<string, number>;
  connected?: boolean;
  dnsRcode?: string;
}

/** Placeholders that need a name after them, and those that take a JSON path. */
const NEEDS_NAME: ReadonlySet<Placeholder> = new Set(["HEADER", "METRIC"]);
const TAKES_PATH: ReadonlySet<Placeholder> = new Set(["BODY"]);
const SIZED: ReadonlySet<Placeholder> = new Set(["BODY", "HEADER"]);
const NAME = /^[A-Za-z0-9_$@:-]+/;
const KEY = /^[^.[\]\s(),]+/;

class SyntaxProblem extends Error {}

/** Parses one condition; `allowed` limits the placeholders to those the check type provides. */
export function parseCondition(text: string, allowed: readonly Placeholder[] = PLACEHOLDERS): ParsedCondition {
  try {
    return { ok: true, condition: parse(text.trim(), allowed) };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, error: error.message };
    throw error;
  }
}

function parse(text: string, allowed: readonly Placeholder[]): Condition {
  if (text === "") throw new SyntaxProblem("is empty: write a rule such as [STATUS] == 200");
  const split = splitAtOperator(text);
  if (!split) {
    throw new SyntaxProblem(`needs an operator (${OPERATORS.join(" ")}) with a space on each side, as in [STATUS] == 200`);
  }
  const { operator } = split;
  const leftText = split.left.trim();
  const rightText = split.right.trim();
  if (/^(pat|any)\(/.test(leftText)) throw new SyntaxProblem(`${leftText.slice(0, 3)}() belongs on the right of == or !=`);
  const left = parseOperand(leftText, allowed);
  if (left.kind !== "reference") {
    throw new SyntaxProblem(`the left side must be a placeholder such as [STATUS], [BODY].path or len([BODY]), not "${leftText}"`);
  }
  if (rightText === "") throw new SyntaxProblem(`needs a value after ${operator}`);
  const right = parseExpected(rightText, left, operator, allowed);
  return { text, left, operator, right };
}

/** The first operator outside brackets, quotes and parentheses that has a space on each side. */
function splitAtOperator(text: string): { left: string; operator: Operator; right: string } | undefined {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') quoted = !quoted;
    if (quoted) continue;
    if (char === "(" || char === "[") depth++;
    else if (char === ")" || char === "]") depth--;
    else if (depth === 0 && text[i - 1] === " ") {
      const operator = OPERATORS.find((op) => text.startsWith(op, i) && text[i + op.length] === " ");
      if (operator) return { left: text.slice(0, i), operator, right: text.slice(i + operator.length) };
    }
  }
  return undefined;
}

function parseExpected(text: string, left: Reference, operator: Operator, allowed: readonly Placeholder[]): Expected {
  const call = /^(pat|any)\((.*)\)$/s.exec(text);
  if (call) {
    if (operator !== "==" && operator !== "!=") throw new SyntaxProblem(`${call[1]}() works only with == and !=`);
    if (call[1] === "pat") return { kind: "pattern", glob: globToRegExp(unquote(call[2]!.trim())), text: call[2]!.trim() };
    const items = splitTopLevel(call[2]!, ",").map((item) => item.trim());
    if (items.some((item) => item === "")) throw new SyntaxProblem("any() needs values separated by commas, as in any(200, 204)");
    return { kind: "any", options: items.map((item) => parseValue(item, left, operator, allowed)) };
  }
  if (/^[a-z]+\(/.test(text) && !/^(len|has)\(/.test(text)) {
    throw new SyntaxProblem(`unknown function "${text.slice(0, text.indexOf("("))}()" (functions: len, has, pat, any)`);
  }
  return parseValue(text, left, operator, allowed);
}

function parseValue(text: string, left: Reference, operator: Operator, allowed: readonly Placeholder[]): Operand {
  if (left.fn === "has" && operator !== "==" && operator !== "!=") throw new SyntaxProblem("has() is true or false: use == or !=");
  const value = parseOperand(text, allowed);
  if (value.kind === "literal") {
    if (left.fn === "has" && value.text !== "true" && value.text !== "false") {
      throw new SyntaxProblem(`has() is true or false: compare it with == true or == false, not "${value.text}"`);
    }
    const number = numberFor(left, value.text);
    if (number !== undefined) value.number = number;
    if (operator !== "==" && operator !== "!=" && value.number === undefined) {
      throw new SyntaxProblem(`${operator} compares numbers, but "${value.text}" is not a number`);
    }
  }
  return value;
}

/** Numbers, and durations where the placeholder measures time: `500ms` for [RESPONSE_TIME], `48h` for [CERT_DAYS]. */
function numberFor(left: Reference, text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!DURATION_PATTERN.test(text)) return undefined;
  if (left.placeholder === "RESPONSE_TIME" && !left.fn) return parseDuration(text);
  if (left.placeholder === "CERT_DAYS") return parseDuration(text) / 86_400_000;
  return undefined;
}

function parseOperand(text: string, allowed: readonly Placeholder[]): Operand {
  const fn = /^(len|has)\((.*)\)$/s.exec(text);
  if (fn) {
    const inner = parseOperand(fn[2]!.trim(), allowed);
    if (inner.kind !== "reference" || inner.fn) throw new SyntaxProblem(`${fn[1]}() takes a placeholder, as in ${fn[1]}([BODY].items)`);
    if (fn[1] === "len" && !SIZED.has(inner.placeholder)) throw new SyntaxProblem(`len() works on [BODY] and [HEADER], not [${inner.placeholder}]`);
    if (fn[1] === "has" && !TAKES_PATH.has(inner.placeholder) && !NEEDS_NAME.has(inner.placeholder)) {
      throw new SyntaxProblem(`has() works on [BODY], [HEADER] and [METRIC], not [${inner.placeholder}]`);
    }
    return { ...inner, fn: fn[1] as "len" | "has" };
  }
  if (!text.startsWith("[")) return { kind: "literal", text: unquote(text) };
  const close = text.indexOf("]");
  const name = close === -1 ? text.slice(1) : text.slice(1, close);
  if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
    throw new SyntaxProblem(`unknown placeholder "[${name}]"${suggest(name, PLACEHOLDERS).replace(/"(\w+)"\?\)$/, '"[$1]"?)')} (placeholders: ${allowed.map((p) => `[${p}]`).join(" ")})`);
  }
  const placeholder = name as Placeholder;
  if (!allowed.includes(placeholder)) {
    throw new SyntaxProblem(`[${placeholder}] is not available for this check type (placeholders: ${allowed.map((p) => `[${p}]`).join(" ") || "none"})`);
  }
  return { kind: "reference", placeholder, path: parsePath(placeholder, text.slice(close + 1)) };
}

function parsePath(placeholder: Placeholder, rest: string): PathStep[] {
  if (NEEDS_NAME.has(placeholder)) {
    const name = rest.startsWith(".") ? NAME.exec(rest.slice(1))?.[0] : undefined;
    if (!name) throw new SyntaxProblem(`[${placeholder}] needs a name, as in [${placeholder}].${placeholder === "HEADER" ? "content-type" : "queue_depth"}`);
    if (rest.length > name.length + 1) throw new SyntaxProblem(`unexpected "${rest.slice(name.length + 1)}" after [${placeholder}].${name}`);
    return [placeholder === "HEADER" ? name.toLowerCase() : name];
  }
  if (!TAKES_PATH.has(placeholder)) {
    if (rest !== "") throw new SyntaxProblem(`[${placeholder}] takes no path, but "${rest}" follows it`);
    return [];
  }
  const path: PathStep[] = [];
  let remaining = rest;
  while (remaining !== "") {
    const index = /^\[(\d+)\]/.exec(remaining);
    const key = remaining.startsWith(".") ? KEY.exec(remaining.slice(1)) : null;
    if (index) {
      path.push(Number(index[1]));
      remaining = remaining.slice(index[0].length);
    } else if (key) {
      path.push(key[0]);
      remaining = remaining.slice(key[0].length + 1);
    } else {
      throw new SyntaxProblem(`cannot read the path "${rest}": use .name for a field and [0] for a list item, as in [BODY].data[0].id`);
    }
  }
  return path;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "(" || char === "[")) depth++;
    else if (!quoted && (char === ")" || char === "]")) depth--;
    else if (!quoted && depth === 0 && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s");
}

// ─── Evaluation ──────────────────────────────────────────────────────────────────────────────────

interface Value {
  present: boolean;
  value?: unknown;
}

const MISSING: Value = { present: false };

/** A context with the body's JSON parsed at most once, however many conditions read it. */
function reader(context: ConditionContext): (reference: Reference) => Value {
  let json: { parsed: boolean; value?: unknown } | undefined;
  const bodyJson = () => {
    if (!json) {
      try {
        json = { parsed: true, value: JSON.parse(context.body ?? "") };
      } catch {
        json = { parsed: false };
      }
    }
    return json;
  };
  const base = (reference: Reference): Value => {
    switch (reference.placeholder) {
      case "STATUS":
        return known(context.status);
      case "RESPONSE_TIME":
        return known(context.responseTimeMs === undefined ? undefined : Math.round(context.responseTimeMs));
      case "CERT_DAYS":
        return known(context.certDays);
      case "CONNECTED":
        return known(context.connected);
      case "DNS_RCODE":
        return known(context.dnsRcode);
      case "HEADER":
        return known(context.headers?.[reference.path[0] as string]);
      case "METRIC":
        return known(context.metrics?.[reference.path[0] as string]);
      case "BODY": {
        if (context.body === undefined) return MISSING;
        if (reference.path.length === 0) return { present: true, value: context.body };
        const document = bodyJson();
        return document.parsed ? walk(document.value, reference.path) : MISSING;
      }
    }
  };
  return (reference) => {
    const value = base(reference);
    if (reference.fn === "has") return { present: true, value: value.present };
    if (reference.fn === "len") {
      if (!value.present) return MISSING;
      // len([BODY]) of a JSON list or object counts its items, as len() of a path into it does.
      const whole = reference.placeholder === "BODY" && reference.path.length === 0 ? bodyJson() : undefined;
      const counted = whole?.parsed && whole.value !== null && typeof whole.value === "object" ? whole.value : value.value;
      return { present: true, value: sizeOf(counted) };
    }
    return value;
  };
}

function known(value: unknown): Value {
  return value === undefined ? MISSING : { present: true, value };
}

function walk(document: unknown, path: readonly PathStep[]): Value {
  let current = document;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(current) || step >= current.length) return MISSING;
      current = current[step];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current) || !Object.hasOwn(current, step)) return MISSING;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { present: true, value: current };
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === "string") return value.length;
  if (value !== null && typeof value === "object") return Object.keys(value).length;
  return String(value).length;
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value) ?? String(value);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

const MAX_ACTUAL = 120;
/**
 * Only this much of what a condition saw is redacted (a megabyte body would cost a second): far more than any
 * encoded secret that could reach into the first MAX_ACTUAL characters.
 */
const REDACTED_WINDOW = 16_384;

/** What a condition saw, as readers see it: redacted first, then cut, so a cut never leaves part of a secret. */
function display(value: Value, redact: (text: string) => string): string {
  if (!value.present) return "nothing";
  const text = redact(asText(value.value).slice(0, REDACTED_WINDOW));
  return text.length > MAX_ACTUAL ? `${text.slice(0, MAX_ACTUAL - 1)}…` : text;
}

function equals(actual: Value, expected: Value, literalNumber?: number): boolean {
  if (!actual.present || !expected.present) return false;
  const left = asNumber(actual.value);
  const right = literalNumber ?? asNumber(expected.value);
  if (left !== undefined && right !== undefined) return left === right;
  return asText(actual.value) === asText(expected.value);
}

function compare(operator: Operator, left: number, right: number): boolean {
  switch (operator) {
    case "<":
      return left < right;
    case ">":
      return left > right;
    case "<=":
      return left <= right;
    case ">=":
      return left >= right;
    case "==":
      return left === right;
    case "!=":
      return left !== right;
  }
}

/** Evaluates parsed conditions against one probe's observations, in order; `redact` cleans what they saw before it is cut short. */
export function evaluateConditions(conditions: readonly Condition[], context: ConditionContext, redact: (text: string) => string = (text) => text): ConditionResult[] {
  const read = reader(context);
  const resolve = (operand: Operand): { value: Value; number?: number } =>
    operand.kind === "reference" ? { value: read(operand) } : { value: { present: true, value: operand.text }, number: operand.number };
  return conditions.map((condition) => {
    const actual = read(condition.left);
    const { right, operator } = condition;
    let ok: boolean;
    if (right.kind === "pattern") {
      ok = actual.present && right.glob.test(asText(actual.value)) === (operator === "==");
    } else if (right.kind === "any") {
      const matched = right.options.some((option) => {
        const expected = resolve(option);
        return equals(actual, expected.value, expected.number);
      });
      ok = actual.present && matched === (operator === "==");
    } else if (operator === "==" || operator === "!=") {
      const expected = resolve(right);
      ok = actual.present && expected.value.present && equals(actual, expected.value, expected.number) === (operator === "==");
    } else {
      const expected = resolve(right);
      const left = actual.present ? asNumber(actual.value) : undefined;
      const number = expected.number ?? (expected.value.present ? asNumber(expected.value.value) : undefined);
      ok = left !== undefined && number !== undefined && compare(operator, left, number);
    }
    return { text: condition.text, ok, actual: display(actual, redact) };
  });
}

/** `[STATUS] == 200 ✓` or `[STATUS] == 200 ✗ got 503`, the way samples and alerts show an outcome. */
export function formatCondition(result: ConditionResult): string {
  return result.ok ? `${result.text} ✓` : `${result.text} ✗ got ${result.actual ?? "nothing"}`;
}

/** Parses a list that validation has already accepted; a rule that does not parse fails loudly. */
export function parseConditions(texts: readonly string[], allowed: readonly Placeholder[] = PLACEHOLDERS): Condition[] {
  return texts.map((text) => {
    const parsed = parseCondition(text, allowed);
    if (!parsed.ok) throw new Error(`condition "${text}" ${parsed.error}`);
    return parsed.condition;
  });
}

/** Whether any of the conditions reads the placeholder (a tcp check that tests [CONNECTED] judges the connection itself). */
export function mentions(conditions: readonly Condition[], placeholder: Placeholder): boolean {
  return conditions.some((condition) => {
    const operands = [condition.left, ...(condition.right.kind === "any" ? condition.right.options : [condition.right])];
    return operands.some((operand) => operand.kind === "reference" && operand.placeholder === placeholder);
  });
}
