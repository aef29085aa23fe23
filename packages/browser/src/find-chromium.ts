import { accessSync, constants, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { BrowserError } from "./browser-error.js";

/** The names looked up on PATH, in order, when `browser.executablePath` is not set. */
export const CHROMIUM_NAMES = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
  "brave-browser",
  "microsoft-edge",
] as const;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/**
 * The Chromium-family binary to launch: the configured path (which must exist), else the first of
 * {@link CHROMIUM_NAMES} on PATH. Never downloads one: a missing browser is a BROWSER_NOT_FOUND naming the fix.
 */
export function findChromium(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  if (configured) {
    const path = expandHome(configured);
    if (isExecutableFile(path)) return path;
    throw new BrowserError(
      "BROWSER_NOT_FOUND",
      `browser.executablePath is ${JSON.stringify(configured)}, which is not an executable file: fix the path, or remove the key to use chromium from PATH`,
    );
  }
  const dirs = (env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new BrowserError(
    "BROWSER_NOT_FOUND",
    `no Chromium-based browser found on PATH (looked for ${CHROMIUM_NAMES.join(", ")}): install one with \`apt-get install chromium\`, or set browser.executablePath`,
  );
}
