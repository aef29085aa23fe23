import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

function versionOf(node: string): string | undefined {
  try {
    return execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

function isOld(version: string | undefined): boolean {
  if (!version) return false;
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major < 22 || (major === 22 && minor < 12);
}

/**
 * A real Node.js older than 22.12, to run the README's commands the way a Node 20 user would: the system's own
 * when it is that old (Debian 12 ships 20), otherwise Node 20 from the npm registry, installed once into the cache.
 */
export function oldNodeBinary(): { node: string; binDir: string; version: string } {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    const version = versionOf(candidate);
    if (isOld(version)) return { node: candidate, binDir: join(candidate, ".."), version: version as string };
  }
  const cache = join(
    process.env.OPENCLAW_COMPAT_CACHE ?? join(homedir(), ".cache", "openclaw-gateway-ts"),
    "node20",
  );
  const binDir = join(cache, "node_modules", ".bin");
  const node = join(binDir, "node");
  if (!existsSync(node)) {
    mkdirSync(cache, { recursive: true });
    execFileSync(
      "npm",
      ["install", "--prefix", cache, "--no-audit", "--no-fund", "--loglevel=error", "node@20"],
      {
        stdio: "inherit",
      },
    );
  }
  const version = versionOf(node);
  if (!isOld(version)) throw new Error(`expected Node 20 at ${node}, got ${version}`);
  return { node, binDir, version: version as string };
}
