import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Waits return as soon as what they wait for happens, so these only bound a failure. They are generous because
    // the suites share two cores (a load average of 11 broke 5 s budgets, issue 17): a test's budget is larger than
    // the waits inside it (E2E_WAIT_MS and the fakes' DEFAULT_WAIT_TIMEOUT_MS, 30 s), so a failure names its wait.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 30_000 } },
    // Each test runs a gateway, a fake Bot API and a fake model; in parallel on 2 cores they only add noise.
    fileParallelism: false,
  },
});
