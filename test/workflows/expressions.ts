/**
 * Every `${{ }}` of a workflow evaluated by GitHub's own expression library (@actions/expressions): the
 * lexer, parser and evaluator GitHub publishes, fed with the contexts a job sees. Only what the runner
 * itself provides is ours: the status functions (success(), failure(), cancelled(), always()), which
 * depend on how the job got here.
 */
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

/** The contexts of an expression (`github`, `env`, `matrix`, `needs`, `steps`, …) as plain JSON. */
export type Contexts = Record<string, unknown>;

/** What the status functions see: whether an earlier step or needed job failed or was skipped, and whether the run was cancelled. */
export interface Status {
  failed: boolean;
  cancelled: boolean;
  skipped?: boolean;
}

const CONTEXTS = ["github", "env", "vars", "secrets", "inputs", "matrix", "strategy", "needs", "steps", "job", "jobs", "runner"];

function statusFunctions(status: Status): Map<string, FunctionDefinition> {
  const flag = (name: string, value: () => boolean): [string, FunctionDefinition] => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) }];
  return new Map([
    flag("success", () => !status.failed && !status.cancelled && !status.skipped),
    flag("failure", () => status.failed),
    flag("cancelled", () => status.cancelled),
    flag("always", () => true),
  ]);
}

/** Evaluates one expression (without `${{ }}`) to plain JSON. */
export function evaluate(expression: string, contexts: Contexts, status: Status = { failed: false, cancelled: false }): unknown {
  const functions = statusFunctions(status);
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, CONTEXTS, [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  const value = new Evaluator(tree, context, functions).evaluate();
  return JSON.parse(JSON.stringify(value, data.replacer));
}

/** An `if:` condition (the parser has already added GitHub's implicit `success() &&`). */
export function condition(expression: string, contexts: Contexts, status: Status): boolean {
  const functions = statusFunctions(status);
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, CONTEXTS, [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return truthy(new Evaluator(tree, context, functions).evaluate());
}

/** A template token (a value that may hold `${{ }}`) to plain JSON, keys and values evaluated. */
export function resolve(token: TemplateToken | undefined, contexts: Contexts): unknown {
  if (token === undefined) return undefined;
  if (isBasicExpression(token)) return evaluate(token.expression, contexts);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isSequence(token)) return [...Array(token.count).keys()].map((index) => resolve(token.get(index), contexts));
  if (isMapping(token)) {
    const entries: [string, unknown][] = [];
    for (let index = 0; index < token.count; index++) {
      const pair = token.get(index);
      entries.push([String(resolve(pair.key, contexts)), resolve(pair.value, contexts)]);
    }
    return Object.fromEntries(entries);
  }
  return null;
}

/** A value as GitHub turns it into an environment variable or an input: strings as they are, the rest as JSON. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}
