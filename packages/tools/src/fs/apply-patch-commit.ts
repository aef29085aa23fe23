import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { ToolError } from "../tool-error.js";
import { needsWrite, type PlannedFile } from "./apply-patch-plan.js";
import { stageFile } from "./atomic-write.js";
import { encodeText } from "./text-file.js";

interface Staged {
  file: PlannedFile;
  temp: string;
}

/**
 * Writes a plan so that either all of it lands or none: new contents are staged beside their targets first (any
 * failure there removes them again), then put in place by rename. Replaced and deleted files are kept as backups until
 * every step succeeded, so a failure halfway through puts every file back as it was.
 */
export async function commitPlan(files: readonly PlannedFile[], signal: AbortSignal): Promise<void> {
  const writes = files.filter(needsWrite);
  const deletes = files.filter((file) => file.existed && file.state.kind === "absent");
  const createdDirs: string[] = [];
  const staged: Staged[] = [];
  try {
    for (const file of writes) {
      const created = await mkdir(path.dirname(file.absolute), { recursive: true });
      if (created) createdDirs.push(created);
      const text = file.state.kind === "text" ? encodeText(file.state.text, file.state.form) : "";
      staged.push({ file, temp: await stageFile(file.absolute, text) });
    }
    signal.throwIfAborted();
  } catch (error) {
    await discard(
      staged.map((entry) => entry.temp),
      createdDirs,
    );
    throw commitFailure(error, "staging the new files");
  }

  const backups: { original: string; backup: string }[] = [];
  const placed: string[] = [];
  try {
    for (const { file, temp } of staged) {
      if (file.existed) backups.push({ original: file.absolute, backup: await keepCopy(file.absolute) });
      await rename(temp, file.absolute);
      placed.push(file.absolute);
    }
    for (const file of deletes) {
      const backup = backupPath(file.absolute);
      await rename(file.absolute, backup);
      backups.push({ original: file.absolute, backup });
    }
  } catch (error) {
    await rollBack(staged, placed, backups, createdDirs);
    throw commitFailure(error, "putting the files in place");
  }
  await Promise.all(backups.map(({ backup }) => rm(backup, { force: true }).catch(() => undefined)));
}

/** A second name for the file about to be replaced (a hard link; a copy where links are not supported). */
async function keepCopy(original: string): Promise<string> {
  const backup = backupPath(original);
  await link(original, backup).catch(() => copyFile(original, backup));
  return backup;
}

function backupPath(original: string): string {
  return path.join(
    path.dirname(original),
    `.${path.basename(original)}.${randomBytes(6).toString("hex")}.orig`,
  );
}

async function rollBack(
  staged: readonly Staged[],
  placed: readonly string[],
  backups: readonly { original: string; backup: string }[],
  createdDirs: readonly string[],
): Promise<void> {
  const restored = new Set(backups.map(({ original }) => original));
  for (const absolute of placed)
    if (!restored.has(absolute)) await rm(absolute, { force: true }).catch(() => undefined);
  for (const { original, backup } of backups.toReversed())
    await rename(backup, original).catch(() => undefined);
  await discard(
    staged.map((entry) => entry.temp),
    createdDirs,
  );
}

async function discard(temps: readonly string[], createdDirs: readonly string[]): Promise<void> {
  for (const temp of temps) await rm(temp, { force: true }).catch(() => undefined);
  // Folders this patch created hold nothing but what it just wrote.
  for (const dir of createdDirs.toReversed())
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

function commitFailure(error: unknown, step: string): ToolError {
  if (error instanceof ToolError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ToolError("PATCH_FAILED", `apply_patch failed while ${step} (${reason}); nothing was changed`);
}
