/**
 * The GitHub issue mirror of incidents (docs/github.md, "Issue mirror"): one issue per incident, recorded in
 * the incident file (`issue:`) once opened; until then found again by the marker
 * `<!-- signalroom:incident=<id> -->` among the mirror's labelled issues (never by title). One comment per
 * public update (each with its own marker, so each is posted once), title and body kept in step, closed
 * when the incident is resolved and reopened when it relapses. The files are the truth; the mirror
 * follows them and repairs itself on the next sync after any failure.
 *
 * A mirror remembers what it last made of each incident, so a long-running probe job calls GitHub only
 * for incidents that changed; its first sync looks at every incident in the window.
 */
import { incidentIssue, mirrored, mirrorFingerprint, updateComments } from "../core/incident-issue.ts";
import type { Config, Incident, Provider } from "../core/model.ts";
import { resolveEnv, weakSecretsProblem, type Environment } from "../core/secrets.ts";
import { apiUrlFrom, createGitHub, marker, sameBody, type GitHub, type Issue } from "./github.ts";

export type MirrorSettings = Config["incidents"]["mirror"];

export interface MirrorReport {
  /** One line per change made on GitHub, e.g. `#12 opened for 2026-11-16-1045-stripe-webhook-down`. */
  changes: string[];
  /** Incidents that could not be mirrored this time (retried on the next sync), with the reason. */
  failures: string[];
  /** Issues the incident files do not record yet (just opened, or found by their marker): the caller writes them. */
  unrecorded: { incident: string; issue: number }[];
}

export interface IncidentMirror {
  readonly repository: string;
  /** Never throws for GitHub's sake: what failed is reported and tried again on the next sync. */
  sync(incidents: readonly Incident[], providers: readonly Pick<Provider, "id" | "public">[], now: Date, signal?: AbortSignal): Promise<MirrorReport>;
}

export const incidentMarker = (id: string) => marker("incident", id);
export const updateMarker = (key: string) => marker("incident-update", key);

/** Why there is no mirror: it is switched off, or the environment lacks what it needs (a local run). */
export interface NoMirror {
  off: boolean;
  reason: string;
}

/** What the mirror's issues may say (docs/github.md): internal fields in a private repository, owner-safe text in a public one. */
export type IssueDetail = "internal" | "owner-safe";

/** The GitHub client for the mirror's settings, or why there is none. */
export function mirrorGitHub(settings: MirrorSettings, env: Environment): GitHub | NoMirror {
  if (!settings.enabled) return { off: true, reason: "the issue mirror is off (incidents.mirror.enabled in checks/signalroom.yaml)" };
  const { value, missing, weak } = resolveEnv({ token: settings.token, repository: settings.repository }, env, { secretKeys: new Set(["token"]) });
  if (missing.length > 0) return { off: false, reason: `the issue mirror needs ${missing.join(" and ")} in the environment` };
  if (weak.length > 0) return { off: false, reason: `the issue mirror is off: ${weakSecretsProblem(weak)}` };
  return createGitHub({ token: value.token, repository: value.repository, apiUrl: apiUrlFrom(settings.apiUrl, env) });
}

export function createIncidentMirror(settings: MirrorSettings, env: Environment, detail: IssueDetail): IncidentMirror | NoMirror {
  const github = mirrorGitHub(settings, env);
  return "reason" in github ? github : mirrorWith(github, settings.labels, detail);
}

export function mirrorWith(github: GitHub, labels: readonly string[], detail: IssueDetail): IncidentMirror {
  const made = new Map<string, string>();
  return {
    repository: github.repository,
    async sync(incidents, providers, now, signal) {
      const names = new Map(providers.flatMap((provider) => (provider.public === false ? [] : [[provider.id, provider.public.name] as const])));
      const due = incidents
        .filter((incident) => mirrored(incident.frontmatter, now))
        .map((incident) => ({ incident, view: incidentIssue(incident.frontmatter, incident.file, names, detail), comments: updateComments(incident.frontmatter) }))
        .filter((entry) => made.get(entry.view.key) !== mirrorFingerprint(entry.view, entry.comments));
      const report: MirrorReport = { changes: [], failures: [], unrecorded: [] };
      if (due.length === 0) return report;
      let issues: Issue[];
      try {
        issues = await github.listIssues(labels, signal);
      } catch (error) {
        return { changes: [], failures: [`listing the issues of ${github.repository}: ${(error as Error).message}`], unrecorded: [] };
      }
      for (const { view, comments } of due) {
        try {
          // The recorded issue; before there is one, the oldest with the marker (two syncs at once can each open one).
          const marked = issues.filter((issue) => issue.body.includes(incidentMarker(view.key))).sort((a, b) => a.number - b.number);
          const existing = marked.find((issue) => issue.number === view.issue) ?? marked[0];
          const extra = marked.filter((issue) => issue !== existing);
          const { changes, number } = await mirrorOne(github, labels, view, comments, existing, signal);
          report.changes.push(...changes);
          if (number !== view.issue) report.unrecorded.push({ incident: view.key, issue: number });
          for (const duplicate of extra) {
            const text = `Duplicate of #${existing!.number}, which mirrors \`${view.key}\` (two syncs opened an issue at the same time).`;
            await github.editIssue(duplicate.number, { body: { text, marker: marker("incident-duplicate", view.key) }, state: "closed", closedAs: "duplicate" }, signal);
            report.changes.push(`#${duplicate.number} closed as a duplicate of #${existing!.number}`);
          }
          made.set(view.key, mirrorFingerprint(view, comments));
        } catch (error) {
          report.failures.push(`${view.key}: ${(error as Error).message}`);
        }
      }
      return report;
    },
  };
}

async function mirrorOne(
  github: GitHub,
  labels: readonly string[],
  view: ReturnType<typeof incidentIssue>,
  comments: ReturnType<typeof updateComments>,
  existing: Issue | undefined,
  signal?: AbortSignal,
): Promise<{ changes: string[]; number: number }> {
  const changes: string[] = [];
  const mark = incidentMarker(view.key);
  let issue = existing;
  if (!issue) {
    issue = await github.createIssue({ marker: mark, title: view.title, body: view.body, labels }, signal);
    changes.push(`#${issue.number} opened for ${view.key}`);
  } else if (issue.title !== view.title || !sameBody(issue.body, view.body, mark)) {
    await github.editIssue(issue.number, { title: view.title, body: { text: view.body, marker: mark } }, signal);
    changes.push(`#${issue.number} brought up to date`);
  }
  const posted = existing ? (await github.listComments(issue.number, signal)).map((comment) => comment.body) : [];
  for (const comment of comments) {
    const commentMark = updateMarker(comment.key);
    if (posted.some((body) => body.includes(commentMark))) continue;
    await github.addComment(issue.number, comment.body, commentMark, signal);
    changes.push(`#${issue.number} update ${comment.key.slice(view.key.length + 1)} posted`);
  }
  // Closed after the resolution update is posted, so the issue's last word is the resolution.
  if (!view.open && issue.state === "open") {
    await github.editIssue(issue.number, { state: "closed" }, signal);
    changes.push(`#${issue.number} closed (resolved)`);
  } else if (view.open && issue.state === "closed") {
    await github.editIssue(issue.number, { state: "open" }, signal);
    changes.push(`#${issue.number} reopened (${view.key} is open again)`);
  }
  return { changes, number: issue.number };
}
