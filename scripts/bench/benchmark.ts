import type { Terminal } from "../terminal.ts";

/** One measured figure; `target` says what it should stay within, in words. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

export interface BenchContext {
  /** The repository Signalroom runs from (site/, node_modules). */
  repo: string;
  terminal: Terminal;
  env: NodeJS.ProcessEnv;
}

/** One benchmark: `npm run bench -- <name>`; builds its own synthetic data, prints figures. */
export interface Benchmark {
  name: string;
  summary: string;
  run(context: BenchContext): Promise<Figure[]>;
}
