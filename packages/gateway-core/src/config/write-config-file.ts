import { dirname } from "node:path";
import { writeFileAtomic } from "../state/atomic-file.js";
import { ConfigError } from "./config-error.js";
import { hashConfigText } from "./parse-config-text.js";

/** How an object is written: two-space JSON (valid JSON5) with a final newline. */
export function formatConfigObject(value: Record<string, unknown>): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Writes the config file so that a crash at any instant leaves either the old file or the new one, never a torn
 * one: a temporary file in the same directory (mode 0600), fsync, rename over the target, fsync of the directory.
 * Creates the directory (mode 0700) when missing. An object is written as pretty JSON; a string is written as
 * given. Does not validate. Returns the text written and its hash. Throws `CONFIG_IO` with the fix on failure.
 */
export async function writeConfigFile(
  path: string,
  value: Record<string, unknown> | string,
): Promise<{ raw: string; hash: string }> {
  const raw = typeof value === "string" ? value : formatConfigObject(value);
  try {
    await writeFileAtomic(path, raw);
  } catch (error) {
    const reason = (error as Error).message;
    throw new ConfigError(
      "CONFIG_IO",
      `cannot write the config file ${path}: ${reason} — check that ${dirname(path)} is writable by this user`,
      {
        filePath: path,
        issues: [{ path: "", message: `cannot write the file: ${reason}` }],
        cause: error,
      },
    );
  }
  return { raw, hash: hashConfigText(raw) };
}
