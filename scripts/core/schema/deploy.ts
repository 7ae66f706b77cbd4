/**
 * Where Signalroom runs and what becomes public: the topology `npm run plan` explains (docs/github.md,
 * "Topologies"). Private by default: a company's repository holds runbooks, owners, errors and narratives.
 */
import { z } from "zod";

/** `owner/name` of a GitHub repository. */
const repositoryName = z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must look like owner/name");

const site = z
  .discriminatedUnion("to", [
    z.strictObject({ to: z.literal("pages").describe("This repository's GitHub Pages (Pages from a private repository needs a paid plan).") }),
    z.strictObject({
      to: z.literal("repository").describe("Pushed to a separate public repository, whose Pages serve it; this repository stays private."),
      repository: repositoryName.describe("`owner/name` of the public repository that receives the built site."),
      branch: z
        .string()
        .regex(/^[A-Za-z0-9._/-]+$/, "must be a branch name")
        .default("gh-pages")
        .describe("Branch the site is pushed to: one commit, replaced on every build. The push uses the repository secret `PUBLIC_SITE_TOKEN` (a token that may push to that repository and nothing else)."),
    }),
    z.strictObject({ to: z.literal("host").describe("Any static host: site.yml uploads the `public-site` artifact for your own upload step.") }),
  ])
  .describe("Where the public site is deployed.");

export const deploy = z
  .strictObject({
    repository: z
      .enum(["private", "public"])
      .default("private")
      .describe("Who can read this repository. `private` (the default) keeps everything internal; `public` makes every committed file public (incident narratives, evidence, errors, the run log, runbooks and owners), and probe runs say so before they commit."),
    site: site.prefault({ to: "pages" }),
    issues: z
      .enum(["internal", "owner-safe"])
      .optional()
      .describe("What the `github` route and the incident mirror post: `internal` (evidence, lead, runbook steps, commander) or `owner-safe` text only. Default: `internal` in a private repository, `owner-safe` in a public one; `internal` there is an explicit choice."),
    probing: z
      .enum(["github-hosted", "self-hosted", "service"])
      .default("github-hosted")
      .describe("Where probe runs run: `probe.yml` on GitHub-hosted runners (billed minutes in a private repository), `probe.yml` on your self-hosted runner (no minutes), or the probe loop as a service on any machine (docs/github.md, \"Service mode\")."),
    heartbeats: z
      .enum(["dispatch", "push"])
      .default("dispatch")
      .describe("How heartbeats arrive: `dispatch` (a repository_dispatch starts heartbeat.yml: one Actions job per beat) or `push` (the sender runs `npm run heartbeat -- ID --push` from a clone: no Actions minutes)."),
    room: z
      .strictObject({
        recipients: z
          .array(z.string().regex(/^age1[0-9a-z]{58}$/, "must be an age public key (age1…, from age-keygen)"))
          .default([])
          .describe("age public keys the operations room archive is encrypted to. Required in a public repository (its artifacts can be downloaded by anyone signed in); optional, as a second lock, in a private one."),
      })
      .prefault({})
      .describe("The operations room artifact site.yml uploads."),
  })
  .prefault({})
  .describe("Topology: who can read the repository, where the public site and the room go, where probing runs (`npm run plan` explains it).");

export type Deploy = z.output<typeof deploy>;
