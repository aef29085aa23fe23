import type { AgentSessionIndex } from "./agent-session-index.js";
import type { StoredSessionEntry } from "./session-entry.js";
import { TranscriptCache } from "./transcript-cache.js";
import {
  readTranscriptFile,
  type TranscriptEntry,
  TranscriptWriter,
  transcriptHeaderLine,
} from "./transcript-file.js";

/**
 * The file store's transcripts: one group-committing writer per open transcript file, and a cache of recently read
 * transcripts kept in step with appends, so a chat turn does not re-read its whole history. Callers hold the
 * session's lock around every method, which is what keeps the file and the cache from missing an append.
 */
export class FileTranscripts {
  private readonly writers = new Map<string, TranscriptWriter>();
  private readonly cache = new TranscriptCache();

  constructor(private readonly now: () => number) {}

  /**
   * Queues one line; the promise resolves once it is fdatasync'd. The cached copy is updated in the same step, so
   * a concurrent read can neither miss nor double it; a failed write forgets the cache.
   */
  append(
    index: AgentSessionIndex,
    key: string,
    stored: StoredSessionEntry,
    entry: TranscriptEntry,
    line: string,
  ): Promise<void> {
    const path = index.transcriptPath(stored.sessionId);
    const written = this.writerFor(index, key, stored).append(line);
    this.cache.append(path, entry);
    written.catch(() => this.cache.forget(path));
    return written;
  }

  /** Every entry, from the cache or (with queued appends drained) from the file. Call it under the session's lock. */
  async read(path: string): Promise<TranscriptEntry[]> {
    const cached = this.cache.get(path);
    if (cached) return cached;
    await this.writers.get(path)?.drain();
    const read = await readTranscriptFile(path);
    this.cache.set(path, read);
    return read;
  }

  /** The cached entries without touching the disk (undefined when not cached). */
  cached(path: string): TranscriptEntry[] | undefined {
    return this.cache.get(path);
  }

  /** Waits for queued appends to `path` to land, then forgets its writer and cache (the file is about to change). */
  async retire(path: string): Promise<void> {
    this.cache.forget(path);
    const writer = this.writers.get(path);
    if (!writer) return;
    this.writers.delete(path);
    await writer.drain().catch(() => undefined);
  }

  private writerFor(index: AgentSessionIndex, key: string, entry: StoredSessionEntry): TranscriptWriter {
    const path = index.transcriptPath(entry.sessionId);
    let writer = this.writers.get(path);
    if (!writer) {
      const { sessionId } = entry;
      const startedAt = entry.sessionStartedAt ?? entry.createdAt ?? this.now();
      writer = new TranscriptWriter(
        path,
        () => transcriptHeaderLine(sessionId, startedAt, key),
        () => index.ensureDirectory(),
      );
      this.writers.set(path, writer);
    }
    return writer;
  }
}
