/** One benchmark: measures something and returns figures (never asserts timings; people and CI read them). */
export interface BenchContext {
  root: string;
  repo: string;
  progress(text: string): void;
}

export interface BenchResult {
  figures: Record<string, number | string>;
  /** Lines that explain the figures. */
  notes?: string[];
}

export interface Bench {
  name: string;
  summary: string;
  run(context: BenchContext): Promise<BenchResult>;
}
