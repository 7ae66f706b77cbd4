import { readFile } from "node:fs/promises";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real servers, databases and browsers: keep the two cores for few, heavier workers.
    maxWorkers: 2,
    // GitHub's workflow parser imports its JSON schema without an import attribute, which only a bundler
    // accepts: let vite transform it (test/workflows/runner.ts).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
  plugins: [
    {
      // Its published source maps point to sources it does not publish; vite would warn for every file.
      name: "workflow-parser-without-source-maps",
      async load(id) {
        if (!id.includes("/@actions/workflow-parser/dist/") || !id.endsWith(".js")) return null;
        return (await readFile(id, "utf8")).replace(/^\/\/# sourceMappingURL=.*$/m, "");
      },
    },
  ],
});
