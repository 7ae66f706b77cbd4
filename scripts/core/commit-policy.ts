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

/** What a probe cycle did that people care about, in the words of a commit headline. */
export interface CycleNews {
  transitions: readonly { check: string; to: string }[];
  alerts: readonly { rule: string; type: string; step?: number }[];
  incidents: readonly { id: string; opened: boolean; changes: readonly string[] }[];
  notifications: readonly { route: string; ok: boolean }[];
}

const ALERT_WORDS: Record<string, string> = { fired: "fired", released: "fired (muting ended)", reminder: "still firing", escalated: "escalated", raised: "raised", acknowledged: "acknowledged", cleared: "cleared" };
const HEADLINE_LIMIT = 200;

function incidentWord(incident: CycleNews["incidents"][number]): string {
  if (incident.opened) return `opened incident ${incident.id}`;
  if (incident.changes.some((change) => /→ resolved/.test(change))) return `resolved incident ${incident.id}`;
  if (incident.changes.some((change) => /resolved → investigating|monitoring → investigating/.test(change))) return `reopened incident ${incident.id}`;
  return `updated incident ${incident.id}`;
}

/**
 * "stripe-webhook down; alert stripe-webhook-down fired; opened incident 2026-11-16-1045-stripe-webhook-down;
 * notified oncall-pager". Undefined when nothing happened; shortened with "and N more" when long.
 */
export function cycleHeadline(news: CycleNews): string | undefined {
  const sent = [...new Set(news.notifications.filter((entry) => entry.ok).map((entry) => entry.route))];
  const failed = [...new Set(news.notifications.filter((entry) => !entry.ok).map((entry) => entry.route))];
  const parts = [
    ...news.transitions.map((transition) => `${transition.check} ${transition.to}`),
    ...news.alerts.map((alert) => `alert ${alert.rule} ${ALERT_WORDS[alert.type] ?? alert.type}${alert.type === "escalated" && alert.step ? ` (step ${alert.step})` : ""}`),
    ...news.incidents.map(incidentWord),
    ...(sent.length ? [`notified ${sent.join(", ")}`] : []),
    ...(failed.length ? [`notification to ${failed.join(", ")} failed`] : []),
  ];
  if (parts.length === 0) return undefined;
  let shown = parts.length;
  const text = (count: number) => `${parts.slice(0, count).join("; ")}${count < parts.length ? `; and ${parts.length - count} more` : ""}`;
  while (shown > 1 && text(shown).length > HEADLINE_LIMIT) shown -= 1;
  return text(shown);
}
