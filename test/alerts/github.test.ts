import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createGitHub, marker } from "../../scripts/gitops/github.ts";
import { sendNotification } from "../../scripts/notify/deliver.ts";
import { route as routeSchema, type Route } from "../../scripts/schemas.ts";
import { startGitHubServer, type GitHubServer } from "../helpers/github-server.ts";
import { acknowledged, firing, resolved, test as testMessage } from "./fixtures.ts";

describe("GitHub issues through octokit against a local GitHub-shaped server", () => {
  let github: GitHubServer;
  beforeEach(async () => {
    github = await startGitHubServer({ pageSize: 2 });
  });
  afterEach(() => github.close());

  const route = () => routeSchema.parse({ id: "incident-issues", channel: "github", apiUrl: github.apiUrl, labels: ["signalroom", "incident"] }) as Route;
  const env = () => ({ GITHUB_TOKEN: github.token, GITHUB_REPOSITORY: github.repository });
  const send = (notification = firing("incident-issues"), delivered: string[] = []) =>
    sendNotification({ ...notification, delivered }, route(), { env: env(), signal: AbortSignal.timeout(30_000) });

  test("a trigger opens one issue per alert, found again by its marker (never by title)", async () => {
    github.issues.push({ number: 1, title: "CRITICAL: Payment webhooks: stripe-webhook-down", body: "same title, no marker", state: "open", state_reason: null, labels: ["signalroom", "incident"], created_at: "", updated_at: "", comments: [] });
    await send();
    expect(github.issues.map((issue) => [issue.number, issue.title, issue.labels.join(",")])).toEqual([
      [1, "CRITICAL: Payment webhooks: stripe-webhook-down", "signalroom,incident"],
      [2, "CRITICAL: Payment webhooks: stripe-webhook-down", "signalroom,incident"],
      [3, "HIGH: booking.changed: booking-queue-backup", "signalroom,incident"],
    ]);
    expect(github.issues[1]!.body).toContain(marker("alert", "stripe-webhook-down@20261116T1047Z"));
    expect(github.issues[1]!.body).toContain("- **STATUS:** Investigating");

    // Sent again (a resend after a crash): nothing new.
    await send();
    expect(github.issues).toHaveLength(3);
  });

  test("acknowledgement comments once; resolution comments and closes", async () => {
    await send();
    await send(acknowledged("incident-issues"));
    await send(acknowledged("incident-issues"));
    await send(resolved("incident-issues"));
    const issue = github.issues.find((candidate) => candidate.body.includes("stripe-webhook-down@"))!;
    expect(issue.comments.map((comment) => comment.body.split("\n")[0])).toEqual([
      "### 👀 ACKNOWLEDGED (CRITICAL): Payment webhooks: stripe-webhook-down",
      "### ✅ RESOLVED: Payment webhooks: stripe-webhook-down",
    ]);
    expect(issue.comments[1]!.body).toContain("- **DURATION:** 52 minutes");
    expect(issue).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(github.issues.find((candidate) => candidate.body.includes("booking-queue-backup@"))!.state).toBe("open");
  });

  test("a resolution for an issue never opened changes nothing; a test opens and closes its own issue", async () => {
    await send(resolved("incident-issues"));
    expect(github.issues).toEqual([]);
    await send(testMessage("incident-issues"));
    expect(github.issues.map((issue) => [issue.title, issue.state])).toEqual([["Test notification for route incident-issues", "closed"]]);
  });

  test("server errors are retried inside the call; a bad token fails at once without showing it", async () => {
    github.failNext(2, 502);
    await send();
    expect(github.issues).toHaveLength(2);
    const bad = await sendNotification(firing("incident-issues"), route(), { env: { ...env(), GITHUB_TOKEN: "wrong-token-value" }, signal: AbortSignal.timeout(30_000) }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(bad.message).toMatch(/^route incident-issues \(github\): Bad credentials/);
    expect(bad.message).not.toContain("wrong-token-value");
    // A bad token is permanent (a dead letter at once); 5xx past octokit's own retries is temporary.
    expect(bad).toMatchObject({ permanent: true, status: 401 });
    github.failNext(3, 503);
    const outage = await send(resolved("incident-issues")).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(outage).toMatchObject({ permanent: false, status: 503 });
  });

  // GitHub asks for content creation to be spaced (octokit's throttling keeps 3 s between new issues and
  // comments), so these tests create as little as they can.
  test("domain verbs: markers are found across pages, comments listed", async () => {
    const client = createGitHub({ token: github.token, repository: github.repository, apiUrl: github.apiUrl });
    for (let i = 0; i < 3; i++) await client.ensureIssue({ marker: marker("incident", `i-${i}`), title: `Incident ${i}`, body: "Body", labels: ["signalroom"] });
    expect((await client.findIssue(marker("incident", "i-0"), ["signalroom"]))?.number).toBe(1);
    expect(await client.findIssue(marker("incident", "i-9"), ["signalroom"])).toBeUndefined();
    await client.comment(2, "First", marker("update", "a"));
    await client.comment(2, "Again", marker("update", "a"));
    expect((await client.listComments(2)).map((comment) => comment.body.split("\n")[0])).toEqual(["First"]);
    expect(github.requests.some((request) => request.includes("page=2"))).toBe(true);
  });
});
