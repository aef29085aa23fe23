import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  // The build script runs tsup before `vite build`, so this clean never wipes the freshly built dist/ui.
  clean: true,
  sourcemap: true,
  target: "node22",
});
