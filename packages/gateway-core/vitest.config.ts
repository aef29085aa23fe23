import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// The version users see (hello-ok, the startup box, --version) is the one in package.json, which changesets bumps.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };
const define = { __OPENCLAW_PACKAGE_VERSION__: JSON.stringify(version) };

export default defineConfig({
  define,
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
