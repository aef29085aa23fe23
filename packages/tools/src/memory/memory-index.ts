import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import MiniSearch from "minisearch";
import { isMissing } from "../fs/workspace-path.js";
import { chunkMarkdown } from "./markdown-chunks.js";
import { type MemoryFileStat, scanMemoryCorpus } from "./memory-corpus.js";

/** Bytes of one file that are indexed; the rest of a larger note is not searchable (and results say so). */
export const MAX_INDEXED_FILE_BYTES = 1024 * 1024;
const MAX_QUERY_WORDS = 32;

export interface IndexedChunk {
  id: number;
  path: string;
  startLine: number;
  endLine: number;
  text: string;
  /** The heading the chunk sits under; searched with a boost. */
  heading: string;
  /** Content hash: a chunk whose text did not change keeps its cached vector. */
  hash: string;
}

interface IndexedFile {
  mtimeMs: number;
  size: number;
  chunkIds: number[];
  truncated: boolean;
}

/** What one sync found and did. */
export interface MemorySyncReport {
  files: number;
  chunks: number;
  /** Files read and re-chunked because they were new or their mtime or size changed. */
  filesReindexed: number;
  filesRemoved: number;
  /** Files larger than {@link MAX_INDEXED_FILE_BYTES}: only their start is searchable. */
  truncatedFiles: string[];
  /** The scan stopped at its file limit. */
  limitReached: boolean;
}

/** Running totals over the index's life, for operators and tests. */
export interface MemoryIndexStats {
  syncs: number;
  files: number;
  chunks: number;
  filesReindexedTotal: number;
  filesRemovedTotal: number;
}

export interface TextHit {
  chunk: IndexedChunk;
  /** BM25 relevance mapped to 0..1 (s / (1 + s)), so a config's minScore means the same in every corpus. */
  textScore: number;
}

/**
 * The full-text index of one workspace's memory files, kept in memory and brought up to date before each search by
 * comparing mtime and size per file: only new, changed and removed files are touched, never a full rebuild.
 */
export class MemoryIndex {
  readonly workspaceDir: string;
  private readonly search = new MiniSearch<IndexedChunk>({
    fields: ["text", "heading", "path"],
    idField: "id",
  });
  private readonly files = new Map<string, IndexedFile>();
  private readonly chunks = new Map<number, IndexedChunk>();
  private nextChunkId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private totals = { syncs: 0, filesReindexed: 0, filesRemoved: 0 };

  /** `workspaceDir` must be a real path (symlinks resolved): scans compare against it. */
  constructor(workspaceDir: string) {
    this.workspaceDir = workspaceDir;
  }

  /** Brings the index up to date with the files on disk; concurrent calls run one after another. */
  sync(): Promise<MemorySyncReport> {
    const run = this.queue.then(() => this.syncNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  searchText(query: string, limit: number): TextHit[] {
    // Each word costs a fuzzy lookup; a pasted paragraph is searched by its first words.
    const words = query.split(/\s+/).filter(Boolean).slice(0, MAX_QUERY_WORDS).join(" ");
    const hits = this.search.search(words, {
      boost: { heading: 2, text: 1, path: 0.5 },
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      maxFuzzy: 3,
      combineWith: "OR",
    });
    const results: TextHit[] = [];
    for (const hit of hits) {
      const chunk = this.chunks.get(hit.id as number);
      if (chunk === undefined) continue;
      results.push({ chunk, textScore: hit.score / (1 + hit.score) });
      if (results.length >= limit) break;
    }
    return results;
  }

  allChunks(): IterableIterator<IndexedChunk> {
    return this.chunks.values();
  }

  stats(): MemoryIndexStats {
    return {
      syncs: this.totals.syncs,
      files: this.files.size,
      chunks: this.chunks.size,
      filesReindexedTotal: this.totals.filesReindexed,
      filesRemovedTotal: this.totals.filesRemoved,
    };
  }

  private async syncNow(): Promise<MemorySyncReport> {
    const scan = await scanMemoryCorpus(this.workspaceDir);
    let filesReindexed = 0;
    let filesRemoved = 0;
    for (const relPath of [...this.files.keys()]) {
      if (scan.files.has(relPath)) continue;
      this.removeFile(relPath);
      filesRemoved += 1;
    }
    for (const stat of scan.files.values()) {
      const known = this.files.get(stat.relPath);
      if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) continue;
      if (await this.indexFile(stat)) filesReindexed += 1;
      else if (known) filesRemoved += 1;
    }
    this.totals.syncs += 1;
    this.totals.filesReindexed += filesReindexed;
    this.totals.filesRemoved += filesRemoved;
    return {
      files: this.files.size,
      chunks: this.chunks.size,
      filesReindexed,
      filesRemoved,
      truncatedFiles: [...this.files].filter(([, file]) => file.truncated).map(([relPath]) => relPath),
      limitReached: scan.limitReached,
    };
  }

  /** Returns false when the file vanished (or stopped being a regular file) since the scan. */
  private async indexFile(stat: MemoryFileStat): Promise<boolean> {
    const content = await readCapped(stat.absPath);
    this.removeFile(stat.relPath);
    if (content === undefined) return false;
    const chunkIds: number[] = [];
    for (const piece of chunkMarkdown(content.text)) {
      const chunk: IndexedChunk = {
        id: this.nextChunkId++,
        path: stat.relPath,
        startLine: piece.startLine,
        endLine: piece.endLine,
        text: piece.text,
        heading: piece.heading,
        hash: createHash("sha256").update(piece.text).digest("base64url"),
      };
      this.chunks.set(chunk.id, chunk);
      this.search.add(chunk);
      chunkIds.push(chunk.id);
    }
    // The stat of the bytes actually read: a write racing the read shows up as a change at the next sync.
    this.files.set(stat.relPath, {
      mtimeMs: content.mtimeMs,
      size: content.size,
      chunkIds,
      truncated: content.truncated,
    });
    return true;
  }

  private removeFile(relPath: string): void {
    const file = this.files.get(relPath);
    if (file === undefined) return;
    for (const id of file.chunkIds) {
      this.chunks.delete(id);
      this.search.discard(id);
    }
    this.files.delete(relPath);
  }
}

async function readCapped(
  absPath: string,
): Promise<{ text: string; mtimeMs: number; size: number; truncated: boolean } | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NOFOLLOW: a file swapped for a symlink after the scan is not followed out of the workspace.
    handle = await open(absPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ELOOP") return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const length = Math.min(stat.size, MAX_INDEXED_FILE_BYTES);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    let text = buffer.subarray(0, bytesRead).toString("utf8");
    const truncated = stat.size > MAX_INDEXED_FILE_BYTES;
    // Cut at the last whole line so a half line (or half a UTF-8 character) is not indexed.
    if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf("\n")));
    return { text, mtimeMs: stat.mtimeMs, size: stat.size, truncated };
  } finally {
    await handle.close();
  }
}
