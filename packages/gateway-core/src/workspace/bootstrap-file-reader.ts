import type { Stats } from "node:fs";
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, relative } from "node:path";

/** A bootstrap file larger than this is not read at all (it would be cut to a few thousand characters anyway). */
export const MAX_BOOTSTRAP_FILE_BYTES = 2 * 1024 * 1024;

/** Enough for every file of a few hundred agents; the oldest entry goes first beyond it. */
const MAX_CACHED_FILES = 512;

export type BootstrapFileRead =
  | { kind: "file"; content: string }
  | { kind: "missing" }
  | { kind: "unreadable"; reason: string };

interface CachedFile {
  mtimeMs: number;
  size: number;
  ino: number;
  content: string;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Reads workspace files for the prompt of every run. A file is read from disk only when its (path, mtime, size,
 * inode) changed since the last read, so a run costs a few `lstat` calls. A symlink is followed only when it
 * stays inside the workspace: the prompt never carries a file from elsewhere on the host.
 */
export class BootstrapFileReader {
  readonly #cache = new Map<string, CachedFile>();

  async read(path: string, workspaceDir: string): Promise<BootstrapFileRead> {
    let info: Stats;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) {
        const [target, root] = await Promise.all([realpath(path), realpath(workspaceDir)]);
        if (!isInside(target, root)) return { kind: "unreadable", reason: "it links outside the workspace" };
        info = await stat(target);
      }
    } catch (error) {
      if (errorCode(error) === "ENOENT") return { kind: "missing" };
      return { kind: "unreadable", reason: errorCode(error) ?? "it could not be read" };
    }
    if (!info.isFile()) return { kind: "unreadable", reason: "it is not a regular file" };
    if (info.size > MAX_BOOTSTRAP_FILE_BYTES) {
      return { kind: "unreadable", reason: `it is larger than ${MAX_BOOTSTRAP_FILE_BYTES} bytes` };
    }
    const cached = this.#cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size && cached.ino === info.ino) {
      return { kind: "file", content: cached.content };
    }
    let content: string;
    try {
      content = await readFile(path, "utf8");
    } catch (error) {
      if (errorCode(error) === "ENOENT") return { kind: "missing" };
      return { kind: "unreadable", reason: errorCode(error) ?? "it could not be read" };
    }
    this.#remember(path, { mtimeMs: info.mtimeMs, size: info.size, ino: info.ino, content });
    return { kind: "file", content };
  }

  #remember(path: string, entry: CachedFile): void {
    this.#cache.delete(path);
    this.#cache.set(path, entry);
    if (this.#cache.size <= MAX_CACHED_FILES) return;
    const oldest = this.#cache.keys().next().value;
    if (oldest !== undefined) this.#cache.delete(oldest);
  }
}
