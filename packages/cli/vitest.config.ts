import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    // Every test spawns real CLI processes; running files in parallel on 2 cores only adds noise.
    fileParallelism: false,
  },
});
