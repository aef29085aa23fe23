import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // One suite that publishes every package to a local registry and installs from it (the uplink included):
    // minutes, not seconds, on a shared 2-core machine.
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
