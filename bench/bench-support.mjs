// What every benchmark script here needs: where the built code is, its --key=value options, a free loopback port,
// percentiles, and progress lines on stderr (stdout is for the table and the JSON line).
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const cli = join(root, "packages/cli/dist/bin.js");
export const testingEntry = join(root, "packages/testing/dist/index.js");

/**
 * `--turns=200 --paths http` -> Map { "turns" => "200", "paths" => "http" }: a value follows `=` or is the next
 * argument when that does not start with `--`; a bare `--flag` is "true".
 */
export function parseArgs(argv = process.argv.slice(2)) {
  const options = new Map();
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--") continue; // what `pnpm run <script> -- <args>` may pass along
    const [key, value] = argv[i].replace(/^--/, "").split("=");
    if (value !== undefined) options.set(key, value);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) options.set(key, argv[++i]);
    else options.set(key, "true");
  }
  return options;
}

export const progress = (text) => process.stderr.write(`bench: ${text}\n`);

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The p-th percentile of an ascending-sorted array. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
