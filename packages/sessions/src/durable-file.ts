import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Makes a rename or a file creation inside `dir` survive a power cut. */
export async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === "win32") return;
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `mkdir -p` that also fsyncs every parent whose entries changed, so the new path is durable. */
export async function ensureDirectoryDurable(dir: string): Promise<void> {
  // 0o700: transcripts are private conversations.
  const firstCreated = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (firstCreated === undefined) return;
  let current = dir;
  for (;;) {
    const parent = dirname(current);
    await fsyncDirectory(parent);
    if (current === firstCreated || parent === current) return;
    current = parent;
  }
}

export function temporarySiblingPath(path: string): string {
  return join(dirname(path), `${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Replaces `path` so that a crash at any instant leaves either the old or the new content:
 * write a temp file in the same directory, fsync it, rename it over, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporarySiblingPath(path);
  try {
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

/** Renames `from` to `to` durably; false when `from` does not exist. */
export async function renameDurable(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  await fsyncDirectory(dirname(to));
  return true;
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}
