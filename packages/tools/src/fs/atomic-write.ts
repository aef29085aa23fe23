import { randomBytes } from "node:crypto";
import { chmod, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";

/**
 * Writes `data` to a temporary file beside `target` (same folder, so the later rename is atomic), flushed to disk and
 * carrying the mode of the file it will replace. Returns the temporary path; the caller renames or removes it.
 */
export async function stageFile(target: string, data: string | Uint8Array): Promise<string> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  const mode = await stat(target).then(
    (info) => info.mode & 0o7777,
    () => undefined,
  );
  try {
    const handle = await open(temp, "wx", mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open() applies the umask; an existing file keeps exactly the mode it had.
    if (mode !== undefined) await chmod(temp, mode);
    return temp;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Replaces `target` in one step: a reader sees the old content or the new, never half of it. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = await stageFile(target, data);
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
