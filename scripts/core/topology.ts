/**
 * What the topology (deploy in checks/signalroom.yaml) decides at run time, as pure functions: what issues
 * may carry, whether a run may commit and what it must say first, and how the operations room leaves the
 * job. `actual` is the repository's visibility as GitHub reports it in the event payload, when known: a
 * repository that is public although the configuration says private is treated as public, never the
 * other way round.
 */
import type { Deploy } from "./schema/deploy.ts";

export type Visibility = "private" | "public";

/** What the `github` route and the incident mirror post: the setting, else internal in a private repository and owner-safe in a public one. */
export function issueFields(deploy: Pick<Deploy, "repository" | "issues">, actual?: Visibility): "internal" | "owner-safe" {
  if (deploy.issues) return deploy.issues;
  return deploy.repository === "public" || actual === "public" ? "owner-safe" : "internal";
}

/** Before a run commits: refuse when a repository configured private turns out to be public; say so when it is public by choice. */
export function commitGuard(deploy: Pick<Deploy, "repository">, actual?: Visibility): { refuse?: string; notice?: string } {
  if (deploy.repository === "private" && actual === "public") {
    return {
      refuse:
        "This repository is public, but deploy.repository in checks/signalroom.yaml says private: nothing was committed, since samples, errors, the run log and incidents would be readable by anyone. Make the repository private, or set deploy.repository: public if everything may be public",
    };
  }
  if (deploy.repository === "public") {
    return {
      notice:
        "This repository is public (deploy.repository: public): what this run commits (samples, each check's last error in checks/state.json, the run log, incident narratives and evidence) is readable by anyone.",
    };
  }
  return {};
}

export interface RoomArchive {
  mode: "plain" | "encrypted" | "withheld";
  reason: string;
}

/** How the operations room archive is uploaded: encrypted to the recipients when there are any; from a public repository never readable. */
export function roomArchive(deploy: Pick<Deploy, "repository" | "room">, actual?: Visibility): RoomArchive {
  const isPublic = deploy.repository === "public" || actual === "public";
  const recipients = deploy.room.recipients.length;
  if (recipients > 0) return { mode: "encrypted", reason: `encrypted to ${recipients} age recipient${recipients === 1 ? "" : "s"} (deploy.room.recipients)` };
  if (isPublic) {
    return {
      mode: "withheld",
      reason: "the repository is public and deploy.room.recipients is empty: anyone signed in could download the artifact, so the operations room is not uploaded. Add an age public key (age-keygen) to deploy.room.recipients",
    };
  }
  return { mode: "plain", reason: "a private repository's artifacts are visible to its members only" };
}
