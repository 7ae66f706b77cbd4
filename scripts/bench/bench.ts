import type { ParseArgsOptionsConfig } from "node:util";
import type { Terminal } from "../terminal.ts";

/** Figure name → value; printed as one JSON object with `--json`. */
export type Figures = Record<string, number | string>;

export interface BenchContext {
  /** The repository Signalroom runs from (site/, node_modules). */
  repo: string;
  env: NodeJS.ProcessEnv;
  /** Progress only: the command prints the report. */
  terminal: Terminal;
  /** The bench's own options, parsed. */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

export interface BenchReport {
  figures: Figures;
  /** The same for people; without them the figures are printed one per line. */
  lines?: string[];
}

/** One named measurement; adding one is a file in scripts/bench/ and a line in registry.ts. */
export interface Bench {
  name: string;
  summary: string;
  /** Its own command-line options, e.g. `--days`. */
  options?: ParseArgsOptionsConfig;
  run(context: BenchContext): Promise<BenchReport>;
}
