import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { REPO } from "./helpers/workspace.ts";

const run = promisify(execFile);
/** These machines ship Node.js 20 as the system node; the project runs on the 22 that .ci/run installs. */
const SYSTEM_NODE = "/usr/bin/node";

async function systemNodeMajor(): Promise<number | undefined> {
  if (!existsSync(SYSTEM_NODE)) return undefined;
  const { stdout } = await run(SYSTEM_NODE, ["--version"]);
  return Number(stdout.trim().slice(1).split(".")[0]);
}

const major = await systemNodeMajor();

test.skipIf(major === undefined || major >= 22)("on an older Node.js every command stops with one sentence saying how to get a newer one", async () => {
  for (const args of [["scripts/signalroom.mjs", "start"], ["scripts/signalroom.mjs", "validate"], ["scripts/require-node.mjs"]]) {
    const result = await run(SYSTEM_NODE, args, { cwd: REPO }).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^Signalroom needs Node\.js 22\.12 or newer and this is Node\.js 20\.[\d.]+: run `nvm install` in this folder \(it reads \.nvmrc\)/);
  }
  expect(existsSync(join(REPO, ".nvmrc"))).toBe(true);
});
