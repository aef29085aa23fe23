import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL("./ui", import.meta.url)),
  // Relative asset URLs, so the same build works wherever the gateway mounts it ("/", "/openclaw/", behind a proxy).
  base: "./",
  build: {
    outDir: fileURLToPath(new URL("./dist/ui", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // The polyfill is an inline-free module, but no supported browser needs it: smaller bundle.
    modulePreload: { polyfill: false },
    // Keep CSS a separate file: the gateway's CSP (`default-src 'self'`) forbids inline styles and scripts.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
