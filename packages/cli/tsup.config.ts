import { readFileSync } from "node:fs";
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";

// The version users see (hello-ok, the startup box, --version) is the one in package.json, which changesets bumps.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};
const define = { __OPENCLAW_PACKAGE_VERSION__: JSON.stringify(version) };

/**
 * zod re-exports every locale (`z.locales`) from its entry, so an unbundled import loads ~45 locale modules that
 * the gateway never uses (it keeps zod's default English messages). In the bundled CLI they are replaced by an
 * empty module; English is imported separately by zod itself and stays.
 */
const stripZodLocales: Plugin = {
  name: "strip-zod-locales",
  setup(build) {
    build.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes("/zod/") ? { path: "zod-locales", namespace: "openclaw-stub" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "openclaw-stub" }, () => ({
      contents: "export {};",
      loader: "js",
    }));
  },
};

export default defineConfig([
  {
    // `openclaw/gateway`: a re-export of @openclaw/gateway (an optional peer: installed by those who import it).
    entry: ["src/gateway.ts"],
    outDir: "dist/lib",
    format: ["esm"],
    dts: true,
    sourcemap: true,
    target: "node22",
    define,
  },
  {
    // The `openclaw` command and its library face (`runCli`): one bundle with lazily loaded chunks, so a cold start
    // reads a few files instead of hundreds of modules and memory stays small, and so that `npm i openclaw` installs
    // no dependency the bundle already holds (only the Control UI's files and, optionally, channel packages).
    entry: ["src/bin.ts", "src/index.ts"],
    outDir: "dist",
    format: ["esm"],
    splitting: true,
    dts: { entry: "src/index.ts" },
    sourcemap: true,
    target: "node22",
    define,
    noExternal: [/^(?!@openclaw\/(channel-|control-ui|browser|diagnostics-otel))/],
    // Channel adapters stay separate packages: each is imported only when its channel starts, from its own
    // dependencies (grammY and friends are not written to be bundled). The Control UI stays external too: it
    // finds its built files relative to its own package, which a bundle would move. The OpenTelemetry exporter is an
    // optional package too, imported only when `diagnostics.otel.enabled` is true.
    external: [
      "bufferutil",
      "utf-8-validate",
      /^@openclaw\/channel-/,
      "@openclaw/control-ui",
      "@openclaw/browser",
      "@openclaw/diagnostics-otel",
    ],
    esbuildPlugins: [stripZodLocales],
    // The bundled SQLite store imports node:sqlite, which exists only with its prefix (tsup would strip it).
    removeNodeProtocol: false,
    banner: {
      // Bundled CommonJS dependencies (ws, commander) call `require` for Node built-ins.
      js: 'import { createRequire as __openclawCreateRequire } from "node:module"; const require = __openclawCreateRequire(import.meta.url);',
    },
  },
]);
