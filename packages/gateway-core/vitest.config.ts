import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// The version users see (hello-ok, the startup box, --version) is the one in package.json, which changesets bumps.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};
const define = { __OPENCLAW_PACKAGE_VERSION__: JSON.stringify(version) };

export default defineConfig({
  define,
  test: {
    include: ["src/**/*.test.ts"],
    // Waits return as soon as their condition holds, so these only bound a failure; generous because suites share
    // two cores in CI (a load average of 11 broke 1-5 s budgets, issue 17). expect.poll's own default is 1 s.
    testTimeout: 60_000,
    expect: { poll: { timeout: 15_000 } },
  },
});
