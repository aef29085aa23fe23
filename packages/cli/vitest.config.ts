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
    // Waits return as soon as their condition holds, so these only bound a failure; generous because every test
    // spawns CLI processes on two shared cores (issue 17): above runCli's and the pty's 30 s. expect.poll's own
    // default is 1 s.
    testTimeout: 120_000,
    expect: { poll: { timeout: 30_000 } },
    // Every test spawns real CLI processes; running files in parallel on 2 cores only adds noise.
    fileParallelism: false,
  },
});
