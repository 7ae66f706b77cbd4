import type { Terminal } from "../terminal.ts";

export interface BenchContext {
  /** Progress only: benches print nothing else, the command prints their report. */
  terminal: Terminal;
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
  run(context: BenchContext): Promise<BenchReport>;
}
