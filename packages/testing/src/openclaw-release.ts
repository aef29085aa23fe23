import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** The OpenClaw release our compatibility tests run against (the one `../shared/reference` was recorded from). */
export const OPENCLAW_REFERENCE_VERSION = "2026.9.6";

/** Where one installed OpenClaw release lives and where its parts are. */
export interface OpenClawRelease {
  version: string;
  /** The `npm i --prefix` folder. */
  prefix: string;
  /** `node_modules/openclaw`: the package itself. */
  packageDir: string;
  /** Its CLI entry, run as `node <bin> ...`. */
  bin: string;
  /** Its built Control UI (`dist/control-ui`), servable through `gateway.controlUi.root`. */
  controlUiDir: string;
  /** Its documentation (`docs/`). */
  docsDir: string;
}

export type OpenClawReleaseResult = { ok: true; release: OpenClawRelease } | { ok: false; reason: string };

export interface EnsureOpenClawReleaseOptions {
  version?: string;
  /** Folder holding one sub-folder per version; default `$OPENCLAW_COMPAT_CACHE` or `~/.cache/openclaw-gateway-ts`. */
  cacheDir?: string;
  /** Upper bound for `npm install` (default 10 minutes: the package is about 650 MB unpacked). */
  timeoutMs?: number;
}

function defaultCacheDir(): string {
  const fromEnv = process.env.OPENCLAW_COMPAT_CACHE;
  if (fromEnv) return fromEnv;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), ".cache"), "openclaw-gateway-ts");
}

function releaseAt(prefix: string, version: string): OpenClawRelease {
  const packageDir = join(prefix, "node_modules", "openclaw");
  return {
    version,
    prefix,
    packageDir,
    bin: join(packageDir, "openclaw.mjs"),
    controlUiDir: join(packageDir, "dist", "control-ui"),
    docsDir: join(packageDir, "docs"),
  };
}

function isComplete(release: OpenClawRelease): boolean {
  return existsSync(release.bin) && existsSync(join(release.controlUiDir, "index.html"));
}

function npmInstall(prefix: string, spec: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", spec],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, npm_config_yes: "true" } },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(`npm install ${spec} failed: ${String(stderr).trim().slice(-600) || error.message}`),
          );
        else resolve();
      },
    );
  });
}

/**
 * The real OpenClaw release, installed once into a cache outside the repository (never into the workspace), for
 * tests that drive OpenClaw's own Control UI, CLI and TUI against our gateway. Concurrent callers wait for one
 * install. Resolves `{ ok: false, reason }` only when npm cannot install it (no registry), so a test can skip saying so.
 */
export async function ensureOpenClawRelease(
  options: EnsureOpenClawReleaseOptions = {},
): Promise<OpenClawReleaseResult> {
  const version = options.version ?? OPENCLAW_REFERENCE_VERSION;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const prefix = join(cacheDir, `openclaw-${version}`);
  const release = releaseAt(prefix, version);
  if (isComplete(release)) return { ok: true, release };

  await mkdir(cacheDir, { recursive: true });
  const lockDir = `${prefix}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  // mkdir is atomic: whoever creates the lock installs; the others poll until the release appears.
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch {
      if (isComplete(release)) return { ok: true, release };
      if (Date.now() > deadline)
        return { ok: false, reason: `another install of openclaw@${version} holds ${lockDir}` };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (isComplete(release)) return { ok: true, release };
    const staging = `${prefix}.staging-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    process.stderr.write(`installing openclaw@${version} into ${prefix} (about 650 MB, once)...\n`);
    try {
      await npmInstall(staging, `openclaw@${version}`, Math.max(1_000, deadline - Date.now()));
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    await rm(prefix, { recursive: true, force: true });
    await rename(staging, prefix);
    return isComplete(release)
      ? { ok: true, release }
      : {
          ok: false,
          reason: `openclaw@${version} installed into ${prefix} but has no dist/control-ui or openclaw.mjs`,
        };
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
