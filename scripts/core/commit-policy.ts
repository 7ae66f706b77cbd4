/**
 * When a probe run commits to the main branch, and what the commit says. State changes and incident edits
 * are committed at once; plain results wait on the pending ref until the oldest has waited `sampleBatch`,
 * so a day of 5-minute runs makes about 24 commits instead of 288 (docs/github.md, "Commit policy").
 */
export interface CommitDecision {
  /** The run has a state change or an incident edit. */
  urgent: boolean;
  /** Times of the runs waiting on the pending ref, if any. */
  pending: readonly string[];
  now: Date;
  sampleBatch: number;
}

export function commitDue({ urgent, pending, now, sampleBatch }: CommitDecision): boolean {
  if (urgent) return true;
  const oldest = pending.reduce<number | undefined>((min, at) => Math.min(min ?? Infinity, Date.parse(at)), undefined);
  return oldest !== undefined && now.getTime() - oldest >= sampleBatch;
}

const hhmm = (at: string) => `${new Date(at).toISOString().slice(11, 16)}`;

/** A commit message for people: what happened first, then how many batched runs it carries. */
export function commitMessage(headline: string | undefined, runs: readonly string[]): string {
  const sorted = [...runs].sort();
  const span = sorted.length ? `${sorted[0]!.slice(0, 10)} ${hhmm(sorted[0]!)}–${hhmm(sorted.at(-1)!)} UTC` : "";
  const batch = `${sorted.length} probe run${sorted.length === 1 ? "" : "s"}${span ? ` (${span})` : ""}`;
  if (!headline) return `Record results of ${batch}`;
  return sorted.length > 1 ? `${headline}\n\nAlso records the batched results of ${batch}.` : headline;
}
