import type { ParseArgsOptionsConfig } from "node:util";
import type { Terminal } from "../terminal.ts";

export interface BenchContext {
  /** Progress only: benches print nothing else, the command prints their report. */
  terminal: Terminal;
  /** The command line's option values, including the bench's own `options`. */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

export interface BenchReport {
  /** Machine-readable figures, printed as one JSON object with `--json`. */
  figures: Record<string, number | string>;
  /** The same for people. */
  lines: string[];
}

/** One named measurement; adding one is a file in scripts/bench/ and a line in registry.ts. */
export interface Bench {
  name: string;
  summary: string;
  /** Command-line options of its own (e.g. `--days`), besides `--json`. */
  options?: ParseArgsOptionsConfig;
  run(context: BenchContext): Promise<BenchReport>;
}
