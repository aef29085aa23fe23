import { readFile } from "node:fs/promises";
import { ConfigError } from "./config-error.js";
import type { OpenClawConfig } from "./config-schema.js";
import type { UnmodelledKeyReport } from "./openclaw-known-keys.js";
import { defaultConfig, hashConfigText, parseConfigText } from "./parse-config-text.js";

/** A config file as read from disk: its text, that text's hash, and the validated config. */
export interface LoadedConfig {
  path: string;
  /** False when the file does not exist; `config` then holds the defaults and `raw` is "". */
  exists: boolean;
  raw: string;
  /** {@link hashConfigText} of `raw` (so a missing file hashes the empty text). */
  hash: string;
  config: OpenClawConfig;
  /** Keys kept but not acted on, one sentence each. Log them; they never contain values. */
  warnings: string[];
  /** The key warnings of `warnings` with their path and kind (an OpenClaw key not supported here, or unknown). */
  keyReports?: UnmodelledKeyReport[];
}

/** Throws `CONFIG_IO` with the reason and the fix for a file that exists but cannot be read. */
export async function readConfigFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    const fix =
      code === "EISDIR"
        ? "it is a directory: point OPENCLAW_CONFIG_PATH at a file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied: make it readable by this user (chmod 600)"
          : (error as Error).message;
    throw new ConfigError("CONFIG_IO", `cannot read the config file ${path}: ${fix}`, {
      filePath: path,
      issues: [{ path: "", message: `cannot read the file: ${fix}` }],
      cause: error,
    });
  }
}

/**
 * Reads and validates the config file. A missing file is not an error: it yields the defaults with
 * `exists: false`. Throws a {@link ConfigError} (`CONFIG_IO`, `CONFIG_PARSE` or `CONFIG_INVALID`) otherwise.
 */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const raw = await readConfigFile(path);
  if (raw === undefined) {
    return { path, exists: false, raw: "", hash: hashConfigText(""), config: defaultConfig(), warnings: [] };
  }
  const { config, warnings, keyReports } = parseConfigText(raw, path);
  return { path, exists: true, raw, hash: hashConfigText(raw), config, warnings, keyReports };
}
