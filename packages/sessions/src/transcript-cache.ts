import type { TranscriptEntry } from "./transcript-file.js";

/**
 * Transcripts by file path, bounded by the total number of entries held (least recently used first out). Only this
 * process writes the files (one process per state dir), so appends keep a cached copy exact; a rewrite or rename
 * forgets it.
 */
export class TranscriptCache {
  private readonly entries = new Map<string, TranscriptEntry[]>();
  private held = 0;

  constructor(private readonly maxEntries = 50_000) {}

  get(path: string): TranscriptEntry[] | undefined {
    const cached = this.entries.get(path);
    if (!cached) return undefined;
    this.entries.delete(path);
    this.entries.set(path, cached);
    return cached;
  }

  set(path: string, transcript: TranscriptEntry[]): void {
    this.forget(path);
    if (transcript.length > this.maxEntries) return;
    this.entries.set(path, transcript);
    this.held += transcript.length;
    this.evict();
  }

  append(path: string, entry: TranscriptEntry): void {
    const cached = this.entries.get(path);
    if (!cached) return;
    cached.push(entry);
    this.held += 1;
    this.evict();
  }

  forget(path: string): void {
    const cached = this.entries.get(path);
    if (!cached) return;
    this.entries.delete(path);
    this.held -= cached.length;
  }

  private evict(): void {
    for (const path of this.entries.keys()) {
      if (this.held <= this.maxEntries) break;
      this.forget(path);
    }
  }
}
