import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "ui/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/build-ui-if-stale.ts"],
    // Waits return as soon as their condition holds, so these only bound a failure; generous because a browser,
    // a gateway and other suites share two cores in CI (issue 17). expect.poll's own default is 1 s.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 20_000 } },
  },
});
