import { batchInputs, EmbeddingsError, requestEmbeddings } from "./embeddings-client.js";
import type { EmbeddingsEndpoint } from "./memory-config.js";
import type { IndexedChunk } from "./memory-index.js";

/** After a failed embeddings call, searches use keywords alone this long instead of paying for the failure again. */
export const EMBEDDINGS_RETRY_AFTER_MS = 30_000;
/** New batches of chunk vectors are requested only this long into a search; the rest waits for the next one. */
const CHUNK_EMBEDDING_BUDGET_MS = 10_000;

export interface EmbeddingProgress {
  /** Chunks whose vectors were fetched during this call. */
  embedded: number;
  /** Live chunks still without a vector (the budget ran out); they rank by keywords until embedded. */
  pending: number;
}

/**
 * The vectors of one workspace's chunks for one embeddings endpoint, keyed by chunk content, so only new or changed
 * chunks are ever sent to the provider. Bounded by the live chunks: vectors of vanished chunks are dropped.
 */
export class ChunkVectors {
  private identity = "";
  private readonly byHash = new Map<string, Float32Array>();
  private failure: { at: number; reason: string } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly now: () => number = Date.now) {}

  /** The reason embeddings are paused after a recent failure, or undefined when they may be called. */
  pausedReason(endpoint: EmbeddingsEndpoint): string | undefined {
    this.useEndpoint(endpoint);
    if (this.failure === undefined) return undefined;
    const waited = this.now() - this.failure.at;
    if (waited >= EMBEDDINGS_RETRY_AFTER_MS) return undefined;
    const retryIn = Math.ceil((EMBEDDINGS_RETRY_AFTER_MS - waited) / 1000);
    return `${this.failure.reason} (retrying in ${retryIn} s)`;
  }

  recordFailure(reason: string): void {
    this.failure = { at: this.now(), reason };
  }

  vectorOf(chunk: IndexedChunk): Float32Array | undefined {
    return this.byHash.get(chunk.hash);
  }

  /**
   * Fetches vectors for live chunks that have none, batch by batch, until done or the time budget is spent. Calls
   * run one after another, so two searches at once never ask for the same chunk twice.
   */
  embedMissing(
    endpoint: EmbeddingsEndpoint,
    liveChunks: () => Iterable<IndexedChunk>,
    signal: AbortSignal,
  ): Promise<EmbeddingProgress> {
    const run = this.queue.then(() => this.embedMissingNow(endpoint, liveChunks(), signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async embedMissingNow(
    endpoint: EmbeddingsEndpoint,
    liveChunks: Iterable<IndexedChunk>,
    signal: AbortSignal,
  ): Promise<EmbeddingProgress> {
    signal.throwIfAborted();
    this.useEndpoint(endpoint);
    const live = new Map<string, string>();
    for (const chunk of liveChunks) live.set(chunk.hash, chunk.text);
    for (const hash of this.byHash.keys()) if (!live.has(hash)) this.byHash.delete(hash);
    const missing = [...live].filter(([hash]) => !this.byHash.has(hash));
    const started = this.now();
    let embedded = 0;
    for (const batch of batchInputs(missing, ([, text]) => text)) {
      if (embedded > 0 && this.now() - started > CHUNK_EMBEDDING_BUDGET_MS) break;
      const vectors = await requestEmbeddings(
        endpoint,
        batch.map(([, text]) => text),
        "document",
        signal,
      );
      for (const [index, [hash]] of batch.entries()) {
        const vector = vectors[index];
        if (vector) this.byHash.set(hash, vector);
      }
      embedded += batch.length;
    }
    this.failure = undefined;
    return { embedded, pending: missing.length - embedded };
  }

  async embedQuery(endpoint: EmbeddingsEndpoint, query: string, signal: AbortSignal): Promise<Float32Array> {
    const [vector] = await requestEmbeddings(endpoint, [query], "query", signal);
    if (vector === undefined) throw new EmbeddingsError("the embeddings answer held no vector for the query");
    return vector;
  }

  private useEndpoint(endpoint: EmbeddingsEndpoint): void {
    const identity = [endpoint.baseUrl, endpoint.model, endpoint.documentInputType ?? ""].join("\n");
    if (identity === this.identity) return;
    this.identity = identity;
    this.byHash.clear();
    this.failure = undefined;
  }
}
