import { open, readFile } from "node:fs/promises";

/** A file-name-safe UTC timestamp, e.g. 2026-11-24T12-31-07-123Z (sorts in time order). */
function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

/**
 * Copies the config file next to itself as `<name>.bak.<timestamp>`, created with mode 0600 because it holds the
 * same secrets. Never overwrites an existing file. Resolves to the backup's path, or undefined when there was no
 * config file to keep.
 */
export async function backupConfigFile(configPath: string): Promise<string | undefined> {
  let content: Buffer;
  try {
    content = await readFile(configPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const backupPath = `${configPath}.bak.${timestamp()}`;
  const handle = await open(backupPath, "wx", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return backupPath;
}
