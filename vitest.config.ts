import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real servers, databases and browsers: keep the two cores for few, heavier workers.
    maxWorkers: 2,
  },
});
