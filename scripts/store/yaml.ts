import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { PathSegment, Problem } from "../core/problems.ts";

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
  const data = problems.length === 0 ? doc.toJS() : undefined;
  return {
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
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
