import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/testing.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  // node:sqlite (read when importing OpenClaw's SQLite state) exists only with its prefix; tsup would otherwise
  // rewrite it to the npm package "sqlite".
  removeNodeProtocol: false,
});
