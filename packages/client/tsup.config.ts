import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  // Inlines the version as a literal, rather than bundling all of package.json into the browser build.
  define: { __OPENCLAW_CLIENT_VERSION__: JSON.stringify(version) },
});
