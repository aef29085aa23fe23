import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { isMissing } from "../fs/workspace-path.js";

/** Root files of the memory corpus, matched by exact name (a lowercase `memory.md` is OpenClaw's legacy name). */
export const MEMORY_ROOT_FILES = ["MEMORY.md", "USER.md"] as const;
export const MEMORY_DIR = "memory";
/** Bounds one scan: a workspace holding more notes than this is searched over the first ones found. */
export const MAX_MEMORY_FILES = 5000;
const MAX_DIR_DEPTH = 16;

/** A path (relative to the workspace, `/`-separated) that `memory_search` indexes. */
export function isIndexedMemoryPath(relPath: string): boolean {
  if ((MEMORY_ROOT_FILES as readonly string[]).includes(relPath)) return true;
  return (
    relPath.startsWith(`${MEMORY_DIR}/`) && relPath.endsWith(".md") && !relPath.split("/").includes("..")
  );
}

/** What `memory_get` may read: the indexed files, and `DREAMS.md` as OpenClaw allows. */
export function isReadableMemoryPath(relPath: string): boolean {
  return isIndexedMemoryPath(relPath) || relPath.toLowerCase() === "dreams.md";
}

export interface MemoryFileStat {
  relPath: string;
  absPath: string;
  mtimeMs: number;
  size: number;
}

export interface MemoryCorpusScan {
  files: Map<string, MemoryFileStat>;
  /** True when {@link MAX_MEMORY_FILES} cut the scan short. */
  limitReached: boolean;
}

/**
 * Lists the memory files of a workspace (given as its real path) with their mtime and size, the cheap part of keeping
 * the index current. Symlinks are skipped, files and folders alike, so nothing outside the workspace is indexed.
 */
export async function scanMemoryCorpus(workspaceDir: string): Promise<MemoryCorpusScan> {
  const files = new Map<string, MemoryFileStat>();
  const rootEntries = await readdirOrEmpty(workspaceDir);
  for (const name of MEMORY_ROOT_FILES) {
    if (rootEntries.some((entry) => entry.name === name && entry.isFile())) {
      await addFile(files, workspaceDir, name);
    }
  }
  let limitReached = false;
  if (rootEntries.some((entry) => entry.name === MEMORY_DIR && entry.isDirectory())) {
    limitReached = await walk(files, workspaceDir, MEMORY_DIR, 0);
  }
  return { files, limitReached };
}

/** Returns true when the file limit was reached. */
async function walk(
  files: Map<string, MemoryFileStat>,
  workspaceDir: string,
  relDir: string,
  depth: number,
): Promise<boolean> {
  if (depth > MAX_DIR_DEPTH) return false;
  const entries = await readdirOrEmpty(path.join(workspaceDir, relDir));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const relPath = `${relDir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (await walk(files, workspaceDir, relPath, depth + 1)) return true;
    } else if (entry.isFile() && isIndexedMemoryPath(relPath)) {
      if (files.size >= MAX_MEMORY_FILES) return true;
      await addFile(files, workspaceDir, relPath);
    }
  }
  return false;
}

async function addFile(
  files: Map<string, MemoryFileStat>,
  workspaceDir: string,
  relPath: string,
): Promise<void> {
  const absPath = path.join(workspaceDir, relPath);
  try {
    const stat = await lstat(absPath);
    if (!stat.isFile()) return;
    files.set(relPath, { relPath, absPath, mtimeMs: stat.mtimeMs, size: stat.size });
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

async function readdirOrEmpty(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
