import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "ui/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/build-ui-if-stale.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
