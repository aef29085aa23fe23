import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Above the fakes' 30 s wait budget (DEFAULT_WAIT_TIMEOUT_MS), so a failing wait reports what it waited for
    // instead of a bare test timeout; waits return on the event, so passing tests are not slower (issue 17).
    testTimeout: 60_000,
  },
});
