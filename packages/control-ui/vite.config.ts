import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL("./ui", import.meta.url)),
  // Relative asset URLs, so the same build works wherever the gateway mounts it ("/", "/openclaw/", behind a proxy).
  base: "./",
  define: {
    // Only `vite dev` talks to a gateway elsewhere; a build always derives the URL from the page it is served on
    // (decided by the command, not by NODE_ENV, which is "test" when the test setup builds).
    __OPENCLAW_DEV_GATEWAY_URL__: JSON.stringify(
      command === "serve" ? (process.env.OPENCLAW_GATEWAY_URL ?? "ws://127.0.0.1:18789") : "",
    ),
  },
  build: {
    outDir: fileURLToPath(new URL("./dist/ui", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Every browser the UI supports has module preload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    // Keep every asset a file: the gateway's CSP (`default-src 'self'`) allows no inline scripts or styles.
    assetsInlineLimit: 0,
  },
}));
