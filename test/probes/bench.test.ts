import { describe, expect, test } from "vitest";
import { benches } from "../../scripts/bench/registry.ts";
import { runCli } from "../helpers/cli.ts";

describe("npm run bench", () => {
  test("an unknown or missing bench is one sentence listing the benches, exit 1", async () => {
    const names = benches.map((bench) => bench.name).join(", ");
    expect(names).toContain("probe");
    expect(await runCli(["bench", "probes"])).toEqual({ code: 1, stdout: "", stderr: `Unknown bench "probes". Benches: ${names}.\n` });
    expect(await runCli(["bench"])).toEqual({ code: 1, stdout: "", stderr: `Name one bench to run: npm run bench -- NAME [--json]. Benches: ${names}.\n` });
  });

  test("bench names are unique", () => {
    const names = benches.map((bench) => bench.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
