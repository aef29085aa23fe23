import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

// The version users see (hello-ok, the startup box, --version) is the one in package.json, which changesets bumps.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};
const define = { __OPENCLAW_PACKAGE_VERSION__: JSON.stringify(version) };

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  define,
  // node:sqlite exists only with its prefix; tsup would otherwise rewrite it to the npm package "sqlite".
  removeNodeProtocol: false,
});
