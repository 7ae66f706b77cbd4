import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from "yaml";
import { CONTROL_CHARACTER, type PathSegment, type Problem } from "../core/problems.ts";

export interface Position {
  line: number;
  col: number;
}

export interface ParsedYaml {
  data: unknown;
  /** Syntax errors, already located. */
  problems: Problem[];
  /** Where the node at `path` starts (its key with `atKey`); the nearest existing parent when it is missing. */
  locate(path: readonly PathSegment[], atKey?: boolean): Position;
}

/**
 * Parses YAML keeping node positions, so errors found later (by zod or cross-file rules) can name the
 * line. `lineOffset` shifts positions for YAML embedded in another file (incident frontmatter).
 */
export function parseYaml(text: string, file: string, lineOffset = 0): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, col };
  };
  const problems: Problem[] = doc.errors.map((error) => ({
    severity: "error",
    file,
    ...position(error.pos[0]),
    path: [],
    message: `YAML syntax: ${firstLine(error.message)}`,
  }));
  let data: unknown;
  if (problems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // The library refuses aliases that expand past the limit (an "alias bomb" that would exhaust memory).
      if (!/alias/i.test((error as Error).message)) throw error;
      let first: number | undefined;
      visit(doc, { Alias: (_, node) => void (first ??= isAlias(node) ? node.range?.[0] : undefined) });
      problems.push({ severity: "error", file, ...position(first ?? 0), path: [], message: `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} copies, an "alias bomb"): write the values out instead` });
    }
  }
  const located: ParsedYaml = {
    data,
    problems,
    locate(path, atKey = false) {
      let node: unknown = doc.contents;
      let found: Position = node && (node as Node).range ? position((node as Node).range![0]) : { line: 1 + lineOffset, col: 1 };
      for (let i = 0; i < path.length; i++) {
        const segment = path[i];
        const last = i === path.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
          if (!pair) return found;
          const key = pair.key as Node;
          if ((last && atKey) || pair.value === null) return key.range ? position(key.range[0]) : found;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === "number") {
          node = node.items[segment];
          if (node === undefined) return found;
        } else {
          return found;
        }
        const range = (node as Node | null)?.range;
        if (range) found = position(range[0]);
      }
      return found;
    },
  };
  if (data !== undefined) problems.push(...controlCharacters(data).map(({ path, character }) => ({ severity: "error" as const, file, ...located.locate(path, typeof path.at(-1) === "string" && character.inKey), path, message: `contains the control character ${character.name}: text must be printable (write it out or remove it)` })));
  return located;
}

/** Aliases may stand for this many copies in one file; the library's own default, stated here so messages can name it. */
const MAX_ALIAS_COUNT = 100;

/** Every key and string value holding a control character, with its path. */
function controlCharacters(data: unknown): { path: PathSegment[]; character: { name: string; inKey: boolean } }[] {
  const found: { path: PathSegment[]; character: { name: string; inKey: boolean } }[] = [];
  const name = (text: string) => `U+${text.match(CONTROL_CHARACTER)![0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  const walk = (node: unknown, path: PathSegment[]) => {
    if (typeof node === "string") {
      if (CONTROL_CHARACTER.test(node)) found.push({ path, character: { name: name(node), inKey: false } });
    } else if (Array.isArray(node)) node.forEach((child, index) => walk(child, [...path, index]));
    else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if (CONTROL_CHARACTER.test(key)) found.push({ path: [...path, key], character: { name: name(key), inKey: true } });
        walk(child, [...path, key]);
      }
    }
  };
  walk(data, []);
  return found;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
