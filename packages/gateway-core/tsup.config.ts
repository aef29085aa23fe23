import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  // node:sqlite exists only with its prefix; tsup would otherwise rewrite it to the npm package "sqlite".
  removeNodeProtocol: false,
});
