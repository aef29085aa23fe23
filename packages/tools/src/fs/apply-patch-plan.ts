import { lstat } from "node:fs/promises";
import { ToolError } from "../tool-error.js";
import { applyUpdateChunks } from "./apply-patch-hunks.js";
import type { PatchOperation } from "./apply-patch-parser.js";
import { encodeText, loadTextFile, PLAIN_TEXT_FORM, type TextFileForm } from "./text-file.js";
import { isMissing } from "./workspace-path.js";

/** A file as the patch leaves it, compared with what is on disk now. */
export interface PlannedFile {
  absolute: string;
  existed: boolean;
  /** Where the patch leaves it: untouched, removed, or holding new text. */
  state: { kind: "disk" } | { kind: "absent" } | { kind: "text"; text: string; form: TextFileForm };
  /** The bytes on disk, when the patch had to read them (an update). */
  original?: Buffer;
}

export interface PatchSummary {
  added: string[];
  modified: string[];
  deleted: string[];
}

export interface PatchPlan {
  files: PlannedFile[];
  summary: PatchSummary;
  /** Updated files whose content came out the same. */
  unchanged: string[];
}

/** The absolute path of an operation's path; deletes address a symlink itself, not what it points at. */
export type ResolvedPaths = Map<string, string>;

export function pathKey(path: string, forDelete: boolean): string {
  return `${forDelete ? "delete" : "write"}:${path}`;
}

/**
 * Works out every file's final content without touching the disk, so a patch that fails anywhere changes nothing.
 * Operations apply in order against this plan: a file deleted earlier can be added again, an update sees an earlier
 * update of the same file.
 */
export async function planPatch(
  operations: readonly PatchOperation[],
  paths: ResolvedPaths,
): Promise<PatchPlan> {
  const files = new Map<string, PlannedFile>();
  const records: { bucket: keyof PatchSummary; shown: string; absolute: string }[] = [];
  const fileAt = async (shown: string, forDelete = false): Promise<PlannedFile> => {
    const absolute = paths.get(pathKey(shown, forDelete)) as string;
    let file = files.get(absolute);
    if (!file) {
      file = await inspect(absolute, shown);
      files.set(absolute, file);
    }
    return file;
  };

  for (const operation of operations) {
    if (operation.kind === "add") {
      const file = await fileAt(operation.path);
      if (file.state.kind !== "absent") {
        fail(
          `Add File ${operation.path}: the file already exists; use Update File to change it, or Delete File earlier in the same patch to replace it`,
        );
      }
      file.state = { kind: "text", text: operation.contents, form: PLAIN_TEXT_FORM };
      records.push({ bucket: "added", shown: operation.path, absolute: file.absolute });
    } else if (operation.kind === "delete") {
      const file = await fileAt(operation.path, true);
      if (file.state.kind === "absent") fail(`Delete File ${operation.path}: no such file`);
      file.state = { kind: "absent" };
      records.push({ bucket: "deleted", shown: operation.path, absolute: file.absolute });
    } else {
      const source = await fileAt(operation.path);
      const current = await currentText(source, operation.path);
      const text = applyUpdateChunks(current.text, operation.chunks, `Update File ${operation.path}`);
      const target = operation.moveTo === undefined ? source : await fileAt(operation.moveTo);
      if (target !== source) {
        if (target.state.kind !== "absent") {
          fail(
            `Move to ${operation.moveTo}: the file already exists; Delete File it earlier in the same patch to replace it`,
          );
        }
        source.state = { kind: "absent" };
      }
      target.state = { kind: "text", text, form: current.form };
      records.push({
        bucket: "modified",
        shown: operation.moveTo ?? operation.path,
        absolute: target.absolute,
      });
    }
  }

  const summary: PatchSummary = { added: [], modified: [], deleted: [] };
  const unchanged: string[] = [];
  for (const record of records) {
    const file = files.get(record.absolute) as PlannedFile;
    const list = record.bucket === "modified" && !needsWrite(file) ? unchanged : summary[record.bucket];
    if (!list.includes(record.shown)) list.push(record.shown);
  }
  return { files: [...files.values()], summary, unchanged };
}

/** True when committing the plan must write this file's text. */
export function needsWrite(file: PlannedFile): boolean {
  if (file.state.kind !== "text") return false;
  if (!file.existed || !file.original) return true;
  return !Buffer.from(encodeText(file.state.text, file.state.form), "utf8").equals(file.original);
}

async function inspect(absolute: string, shown: string): Promise<PlannedFile> {
  try {
    const info = await lstat(absolute);
    if (info.isDirectory()) fail(`${shown} is a directory; patches change files only`);
    return { absolute, existed: true, state: { kind: "disk" } };
  } catch (error) {
    if (isMissing(error)) return { absolute, existed: false, state: { kind: "absent" } };
    throw error;
  }
}

async function currentText(file: PlannedFile, shown: string): Promise<{ text: string; form: TextFileForm }> {
  if (file.state.kind === "text") return file.state;
  if (file.state.kind === "absent") fail(`Update File ${shown}: no such file; use Add File to create it`);
  const loaded = await loadTextFile(file.absolute, shown, "Use Add File to create it.");
  file.original = loaded.bytes;
  return loaded;
}

function fail(problem: string): never {
  throw new ToolError("PATCH_FAILED", `${problem}. Nothing was changed.`);
}
