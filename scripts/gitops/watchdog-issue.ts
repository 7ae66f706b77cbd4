/**
 * The watchdog's issue (docs/github.md, "Watching the watcher"): one open issue labelled
 * `signalroom-watchdog` while probe runs do not land, a comment on it at every later check that still finds
 * them stale, and closed with a comment once runs land again. GitHub notifies the repository's watchers
 * of the issue by email and mobile push, through a path that does not depend on the probe job.
 */
import type { Freshness } from "../core/freshness.ts";
import { marker, type GitHub } from "./github.ts";

export const WATCHDOG_LABEL = "signalroom-watchdog";
export const WATCHDOG_TITLE = "Probe runs have stopped landing";

export interface WatchdogOutcome {
  action: "opened" | "commented" | "closed" | "none";
  issues: number[];
}

export async function reportFreshness(github: GitHub, freshness: Freshness, now: Date): Promise<WatchdogOutcome> {
  const open = (await github.listIssues([WATCHDOG_LABEL])).filter((issue) => issue.state === "open");
  const note = marker("watchdog-check", now.toISOString());
  if (freshness.stale) {
    if (open.length > 0) {
      await github.addComment(open[0]!.number, freshness.message, note);
      return { action: "commented", issues: [open[0]!.number] };
    }
    const issue = await github.createIssue({ marker: marker("watchdog", "stale"), title: WATCHDOG_TITLE, body: freshness.message, labels: [WATCHDOG_LABEL] });
    return { action: "opened", issues: [issue.number] };
  }
  for (const issue of open) {
    await github.addComment(issue.number, freshness.message, note);
    await github.editIssue(issue.number, { state: "closed" });
  }
  return { action: open.length > 0 ? "closed" : "none", issues: open.map((issue) => issue.number) };
}
