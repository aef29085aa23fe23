import { randomBytes } from "node:crypto";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "./config-error.js";
import { hashConfigText } from "./parse-config-text.js";

/** How an object is written: two-space JSON (valid JSON5) with a final newline. */
export function formatConfigObject(value: Record<string, unknown>): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    // Some file systems (and Windows) cannot fsync a directory; the rename itself has already happened.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM" && code !== "ENOTSUP") throw error;
  } finally {
    await handle?.close();
  }
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
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(raw, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await syncDirectory(dir);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const reason = (error as Error).message;
    throw new ConfigError(
      "CONFIG_IO",
      `cannot write the config file ${path}: ${reason} — check that ${dir} is writable by this user`,
      {
        filePath: path,
        issues: [{ path: "", message: `cannot write the file: ${reason}` }],
        cause: error,
      },
    );
  }
  return { raw, hash: hashConfigText(raw) };
}
