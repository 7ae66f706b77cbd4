import type { ParseArgsOptionsConfig } from "node:util";
import type { Terminal } from "../terminal.ts";

/** What a bench reports: figure name → value, printed for people or as one JSON object. */
export type Figures = Record<string, number | string>;

export interface BenchContext {
  /** The repository Signalroom runs from (site/, node_modules). */
  repo: string;
  env: NodeJS.ProcessEnv;
  terminal: Terminal;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

/** One benchmark: a file in scripts/bench/ and a line in scripts/bench/registry.ts. */
export interface Bench {
  name: string;
  summary: string;
  /** Its own command-line options, e.g. `--days`. */
  options: ParseArgsOptionsConfig;
  run(context: BenchContext): Promise<Figures>;
}
