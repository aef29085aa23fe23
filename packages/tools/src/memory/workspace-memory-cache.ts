import { ChunkVectors } from "./chunk-vectors.js";
import type { MemoryIndex } from "./memory-index.js";

export const DEFAULT_MAX_WORKSPACES = 16;

export interface WorkspaceMemory {
  index: MemoryIndex;
  vectors: ChunkVectors;
}

/**
 * One in-memory index (and its chunk vectors) per workspace, the least recently searched dropped past the bound;
 * a dropped workspace is re-indexed from its files on its next search.
 */
export class WorkspaceMemoryCache {
  private readonly entries = new Map<string, WorkspaceMemory>();

  constructor(
    private readonly maxWorkspaces = DEFAULT_MAX_WORKSPACES,
    private readonly now: () => number = Date.now,
  ) {}

  /** `realWorkspaceDir`: the workspace with symlinks resolved, so two spellings share one index. */
  async get(realWorkspaceDir: string): Promise<WorkspaceMemory> {
    const known = this.entries.get(realWorkspaceDir);
    if (known) {
      this.entries.delete(realWorkspaceDir);
      this.entries.set(realWorkspaceDir, known);
      return known;
    }
    // MiniSearch loads with the first memory search, not with the gateway.
    const { MemoryIndex } = await import("./memory-index.js");
    const raced = this.entries.get(realWorkspaceDir);
    if (raced) return raced;
    const created = { index: new MemoryIndex(realWorkspaceDir), vectors: new ChunkVectors(this.now) };
    this.entries.set(realWorkspaceDir, created);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxWorkspaces) break;
      this.entries.delete(oldest);
    }
    return created;
  }

  get size(): number {
    return this.entries.size;
  }
}
