import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The first run may install Node 20 from the npm registry to have an old Node.js to try.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
