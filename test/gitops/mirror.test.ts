import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { createGitHub } from "../../scripts/gitops/github.ts";
import { git } from "../../scripts/gitops/git.ts";
import { incidentMarker, mirrorWith } from "../../scripts/gitops/incident-mirror.ts";
import { loadWorkspace } from "../../scripts/workspace.ts";
import { runCli } from "../helpers/cli.ts";
import { originFrom, showFile } from "../helpers/git.ts";
import { outageWorld } from "../helpers/outage.ts";
import { startGitHubServer, type GitHubServer } from "../helpers/github-server.ts";
import { httpCheck, probeWorkspace } from "../helpers/probe-workspace.ts";
import { edit, tempDir } from "../helpers/workspace.ts";

const ID = "2026-11-16-members-api-errors";
const FILE = `incidents/${ID}.md`;

// octokit spaces new issues and comments 3 s apart, as GitHub asks; these tests create as few as they can.
describe("the GitHub issue mirror of incidents, through octokit against a local GitHub-shaped server", () => {
  let github: GitHubServer;
  beforeEach(async () => {
    github = await startGitHubServer();
  });
  afterEach(() => github.close());

  const env = () => ({ GITHUB_TOKEN: github.token, GITHUB_REPOSITORY: github.repository });

  /** A workspace with the mirror on (pointed at the local server), a public provider and one open incident. */
  async function workspace(): Promise<string> {
    const { root } = await probeWorkspace([httpCheck("members-health", "http://127.0.0.1:1/")], { incidents: { mirror: { enabled: true, apiUrl: github.apiUrl } } });
    await edit(root, "checks/providers/members-api.yaml", /^checks:/m, "public:\n  name: Members\nchecks:");
    const opened = await runCli(
      ["incident", "new", "--root", root, "--title", "Members API errors", "--severity", "SEV-2", "--providers", "members-api", "--impact", "major", "--component", "members-api=partial_outage"],
      {},
      { clock: manualClock("2026-11-16T10:45:00Z") },
    );
    expect(opened.code).toBe(0);
    return root;
  }

  const writes = () => github.requests.filter((request) => !request.startsWith("GET "));

  test("one issue per incident, a comment per public update, closed on resolve, reopened on relapse, found again by its marker", async () => {
    const root = await workspace();
    const sync = () => runCli(["issues", "sync", "--root", root], env(), { clock: manualClock("2026-11-16T11:00:00Z") });
    const first = await sync();
    expect(first.stdout).toBe(
      `Issue mirror: #1 opened for ${ID}\nIssue mirror: #1 update 1@2026-11-16T10:45:00Z posted\nIssue mirror: recorded #1 in ${FILE}; commit the change.\n✓ Issues in acme/status are in step with incidents/ (2 changes).\n`,
    );
    // The mirror's own record: the issue it opened, in the incident file (what /ack and /update are checked against).
    expect(await readFile(join(root, FILE), "utf8")).toMatch(/^issue: 1$/m);
    const [issue] = github.issues;
    expect(issue).toMatchObject({ number: 1, title: "SEV-2: Members API errors", state: "open", labels: ["incident"] });
    expect(issue!.body).toContain("**SEV-2** · **Investigating** · public impact: major");
    expect(issue!.body).toContain("| 2026-11-16 10:45 UTC | 2026-11-16 10:45 UTC | – | – | – |");
    expect(issue!.body).toContain("- **Components:** Members (partial outage)");
    expect(issue!.body).toContain(incidentMarker(ID));
    expect(issue!.comments.map((comment) => comment.body.split("\n")[0])).toEqual(["**Investigating** · 2026-11-16 10:45 UTC"]);
    expect(issue!.comments[0]!.body).toContain("We are investigating problems with Members.");

    // Nothing changed: a new process lists and compares, and writes nothing.
    const before = writes().length;
    expect((await sync()).stdout).toBe("✓ Issues in acme/status are in step with incidents/ (0 changes).\n");
    expect(writes()).toHaveLength(before);

    await runCli(["incident", "resolve", ID, "--root", root, "--message", "Error rates are back to normal."], {}, { clock: manualClock("2026-11-16T11:20:00Z") });
    expect((await sync()).stdout.split("\n").slice(0, 3)).toEqual([`Issue mirror: #1 brought up to date`, `Issue mirror: #1 update 2@2026-11-16T11:20:00Z posted`, `Issue mirror: #1 closed (resolved)`]);
    expect(github.issues[0]).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(github.issues[0]!.body).toContain("**SEV-2** · **Resolved**");

    await runCli(["incident", "update", ID, "--root", root, "--status", "investigating", "--message", "Errors are back."], {}, { clock: manualClock("2026-11-16T11:30:00Z") });
    const relapse = await sync();
    expect(relapse.stdout).toContain("Issue mirror: #1 reopened (2026-11-16-members-api-errors is open again)");
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ state: "open", state_reason: "reopened" });
    expect(github.issues[0]!.comments.map((comment) => comment.body.split("\n")[0])).toEqual([
      "**Investigating** · 2026-11-16 10:45 UTC",
      "**Resolved** · 2026-11-16 11:20 UTC",
      "**Investigating** · 2026-11-16 11:30 UTC",
    ]);
  });

  test("a long-running mirror calls GitHub only for incidents that changed; two syncs at once are healed to one issue", async () => {
    const root = await workspace();
    const { workspace: loaded } = await loadWorkspace(root);
    const client = () => createGitHub({ token: github.token, repository: github.repository, apiUrl: github.apiUrl });
    // An incident without public updates yet, so each racing sync creates exactly one thing.
    const quiet = loaded!.incidents.map((incident) => ({ ...incident, frontmatter: { ...incident.frontmatter, updates: [] } }));
    const now = new Date("2026-11-16T11:00:00Z");
    const [a, b] = [mirrorWith(client(), ["incident"], "internal"), mirrorWith(client(), ["incident"], "internal")];
    await Promise.all([a.sync(quiet, loaded!.providers, now), b.sync(quiet, loaded!.providers, now)]);
    expect(github.issues.map((issue) => [issue.number, issue.state])).toEqual([
      [1, "open"],
      [2, "open"],
    ]);
    const requests = github.requests.length;
    expect(await a.sync(quiet, loaded!.providers, now)).toEqual({ changes: [], failures: [], unrecorded: [] });
    expect(github.requests).toHaveLength(requests);

    const healed = await mirrorWith(client(), ["incident"], "internal").sync(quiet, loaded!.providers, now);
    // Nothing recorded the issue yet, so the oldest is kept, and reported for the incident file to record.
    expect(healed).toEqual({ changes: ["#2 closed as a duplicate of #1"], failures: [], unrecorded: [{ incident: ID, issue: 1 }] });
    expect(github.issues.map((issue) => [issue.number, issue.state, issue.state_reason])).toEqual([
      [1, "open", null],
      [2, "closed", "duplicate"],
    ]);
    expect(github.issues[1]!.body).toMatch(/^Duplicate of #1, which mirrors `2026-11-16-members-api-errors`/);

    // GitHub failing is reported and tried again next time, never thrown.
    github.failNext(3, 502);
    const changed = quiet.map((incident) => ({ ...incident, frontmatter: { ...incident.frontmatter, commander: "alice" } }));
    const failed = await a.sync(changed, loaded!.providers, now);
    expect(failed.changes).toEqual([]);
    expect(failed.failures).toEqual([expect.stringMatching(/^listing the issues of acme\/status: /)]);
  });

  test("a probe run that opens an incident opens its issue once the commit has landed, and starts the site workflow", async () => {
    const { origin, target } = await outageWorld({ config: { incidents: { mirror: { enabled: true, apiUrl: github.apiUrl } } } });
    const job = await origin.clone("job");
    const actions = { ...env(), GITHUB_API_URL: github.apiUrl };
    await runCli(["probe", "--root", job, "--push", "--dispatch", "site.yml"], actions, { clock: manualClock("2026-11-20T10:00:00Z") });
    expect(github.issues).toEqual([]);
    expect(github.dispatches).toEqual([{ workflow: "site.yml", ref: "main" }]);
    // A run whose results only wait on the pending ref changes nothing on main: no rebuild.
    await runCli(["probe", "--root", job, "--push", "--dispatch", "site.yml"], actions, { clock: manualClock("2026-11-20T10:00:30Z") });
    expect(github.dispatches).toHaveLength(1);
    target.healthy = false;
    const down = await runCli(["probe", "--root", job, "--push", "--dispatch", "site.yml"], actions, { clock: manualClock("2026-11-20T10:01:00Z") });
    expect(down.stdout).toMatch(
      /^Published: committed [0-9a-f]{7} with 2 probe runs and pushed\.\nIssue mirror: #1 opened for 2026-11-20-1001-members-down\nIssue mirror: #1 update 1@2026-11-20T10:01:00Z posted\nIssue mirror: recorded #1 in incidents\/2026-11-20-1001-members-down\.md \(commit [0-9a-f]{7}\)\.\nStarted site\.yml on main, so the sites show this commit\.$/m,
    );
    expect(github.dispatches).toHaveLength(2);
    expect(github.issues.map((issue) => [issue.title, issue.state, issue.comments.length])).toEqual([["SEV-2: Internal service: requests failing", "open", 1]]);
    // Without a token the run says why it does not mirror, and probes and pushes all the same.
    const local = await runCli(["probe", "--root", job, "--push"], {}, { clock: manualClock("2026-11-20T10:02:00Z") });
    expect([local.code, local.stderr]).toEqual([0, "warning: the issue mirror needs GITHUB_TOKEN and GITHUB_REPOSITORY in the environment; incidents are not mirrored by this run\n"]);
  });

  test("/ack and /update <text> on the recorded issue, by people who may push, are written into the incident file and committed; others are ignored; a re-run changes nothing", async () => {
    const root = await workspace();
    // The mirrored issue as the probe run opened it, and recorded in the incident file.
    await edit(root, FILE, /^---\n/, "---\nissue: 7\n");
    const origin = await originFrom(root);
    github.issues.push({ number: 7, title: "SEV-2: Members API errors", body: `Mirrored.\n\n${incidentMarker(ID)}\n`, state: "open", state_reason: null, labels: ["incident"], created_at: "", updated_at: "", comments: [] });
    Object.assign(github.collaborators, { alice: "write", bob: "maintain", carol: "read" });
    const events = await tempDir();
    const comment = async (name: string, payload: object, clock = "2026-11-16T10:52:00Z") => {
      const file = join(events, `${name}.json`);
      await writeFile(file, JSON.stringify(payload));
      return runCli(["issues", "comment", "--root", await origin.clone(name), "--event", file, "--push", "--dispatch", "site.yml"], { ...env(), GITHUB_API_URL: github.apiUrl }, { clock: manualClock(clock) });
    };

    const ack = github.personComments(7, "/ack", "alice", "COLLABORATOR", "2026-11-16T10:50:00Z");
    const acked = await comment("ack", ack);
    expect(acked.code).toBe(0);
    expect(acked.stdout).toMatch(new RegExp(`^Acknowledged by @alice; recorded in \`${FILE}\` \\(commit [0-9a-f]{7}\\)\\.$`, "m"));
    expect((await git(origin.bare, ["log", "-1", "--format=%s", "main"])).trim()).toBe(`Acknowledge incident ${ID} (@alice on #7)`);
    const text = (await showFile(origin.bare, "main", FILE))!;
    expect(text).toContain("acknowledged: 2026-11-16T10:50:00Z");
    expect(text).toContain("commander: alice");
    // The issue says so at once: the reply, and the mirrored body with the commander.
    expect(github.issues[0]!.comments.map((entry) => entry.body.split("\n")[0])).toContain(`✓ Acknowledged by @alice; recorded in \`${FILE}\` (commit ${/commit ([0-9a-f]{7})/.exec(acked.stdout)![1]}).`);
    expect(github.issues[0]!.body).toContain("- **Commander:** alice");
    expect(github.dispatches).toEqual([{ workflow: "site.yml", ref: "main" }]);

    const commits = Number((await git(origin.bare, ["rev-list", "--count", "main"])).trim());
    const again = await comment("ack-again", ack);
    expect(again.stdout).toMatch(/was recorded before; nothing to do\./);
    expect(Number((await git(origin.bare, ["rev-list", "--count", "main"])).trim())).toBe(commits);
    expect(github.dispatches).toHaveLength(1);

    const outsider = await comment("outsider", github.personComments(7, "/update All good, trust me.", "mallory", "NONE"));
    expect(outsider.stdout).toMatch(/^@mallory may not push to the repository \(NONE\); the command is ignored\.$/m);
    // An organisation member without write access is asked about and refused.
    const reader = await comment("reader", github.personComments(7, "/update Looks fine from here.", "carol", "MEMBER"));
    expect(reader.stdout).toMatch(/^@carol may not push to the repository \(their permission is read\); the command is ignored\.$/m);
    // Anyone can paste the marker into an issue of their own: the command there is ignored, whoever comments.
    const pasted = github.personOpens("Members API errors", `Copied.\n\n${incidentMarker(ID)}\n`, "mallory", ["incident"]);
    const elsewhere = await comment("elsewhere", github.personComments(pasted, "/ack", "alice", "COLLABORATOR"));
    expect(elsewhere.stdout).toMatch(new RegExp(`^Issue #${pasted} is not an issue the incident mirror opened \\(no incident file records it\\); nothing to do\\.$`, "m"));
    expect(github.issues.find((issue) => issue.number === pasted)!.comments).toHaveLength(1);
    expect(Number((await git(origin.bare, ["rev-list", "--count", "main"])).trim())).toBe(commits);

    const update = await comment("update", github.personComments(7, "/update We rolled back the deploy\nand error rates are falling.", "bob", "MEMBER", "2026-11-16T10:55:00Z"));
    expect(update.code).toBe(0);
    const { workspace: after } = await loadWorkspace(await origin.clone("after"));
    expect(after!.incidents[0]!.frontmatter.updates.at(-1)).toEqual({ at: "2026-11-16T10:55:00Z", status: "investigating", message: "We rolled back the deploy\nand error rates are falling." });
    // Each command gets its reply, and the mirror posts the public updates (the opening one with the first sync).
    expect(github.issues[0]!.comments.map((entry) => entry.body.split("\n")[0])).toEqual([
      "/ack",
      expect.stringMatching(/^✓ Acknowledged by @alice/),
      "**Investigating** · 2026-11-16 10:45 UTC",
      "/update All good, trust me.",
      "/update Looks fine from here.",
      "/update We rolled back the deploy",
      expect.stringMatching(/^✓ Public update from @bob recorded in/),
      "**Investigating** · 2026-11-16 10:55 UTC",
    ]);
  });
});
