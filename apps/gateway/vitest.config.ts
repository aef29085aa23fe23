import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    // Each test runs a gateway, a fake Bot API and a fake model; in parallel on 2 cores they only add noise.
    fileParallelism: false,
  },
});
