import { describe, expect, test } from "vitest";
import { benches } from "../../scripts/bench/registry.ts";
import { runCli } from "../helpers/cli.ts";

describe("npm run bench", () => {
  test("an unknown or missing bench is one sentence listing the benches, exit 1", async () => {
    const listing = `Name a bench: ${benches.map((bench) => `${bench.name} (${bench.summary})`).join(", ")}.\n`;
    expect(await runCli(["bench", "probes"])).toEqual({ code: 1, stdout: "", stderr: listing });
    expect(await runCli(["bench"])).toEqual({ code: 1, stdout: "", stderr: listing });
    expect(listing).toContain("probe (1000 HTTP checks against a loopback server answering after 50 ms, against a bare undici loop)");
  });

  test("bench names are unique", () => {
    const names = benches.map((bench) => bench.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
