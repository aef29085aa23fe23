import type { ChunkVectors, EmbeddingProgress } from "./chunk-vectors.js";
import { cosineSimilarity } from "./embeddings-client.js";
import type { MemorySearchSettings } from "./memory-config.js";
import { MAX_MEMORY_FILES } from "./memory-corpus.js";
import { type IndexedChunk, MAX_INDEXED_FILE_BYTES, type MemoryIndex } from "./memory-index.js";

/** Characters of a chunk shown as its snippet; `memory_get` reads the whole range. */
export const SNIPPET_MAX_CHARS = 700;
/** Embeddings calls of one search (chunk batches and the query) end after this, whatever the provider does. */
const EMBEDDINGS_DEADLINE_MS = 25_000;
const MIN_CANDIDATES = 24;

export interface MemorySearchHit {
  path: string;
  startLine: number;
  endLine: number;
  score: number;
  snippet: string;
  source: "memory";
  /** `path#L<start>-L<end>`, to cite the note. */
  citation: string;
}

export interface MemorySearchOutcome {
  results: MemorySearchHit[];
  provider: string;
  model?: string;
  mode: "hybrid" | "fts-only";
  warning?: string;
  debug: {
    files: number;
    chunks: number;
    filesReindexed: number;
    filesRemoved: number;
    embeddedChunks?: number;
    pendingChunks?: number;
  };
}

export interface MemorySearchRequest {
  query: string;
  maxResults: number;
  minScore: number;
}

interface Candidate {
  chunk: IndexedChunk;
  textScore?: number;
  score: number;
}

/**
 * Brings the workspace index up to date, then ranks chunks: BM25 alone, or (with embeddings configured) a weighted
 * blend of BM25 and cosine similarity. An embeddings failure never fails the search: it falls back to keywords and
 * says why in `warning`.
 */
export async function searchMemory(
  index: MemoryIndex,
  vectors: ChunkVectors,
  settings: MemorySearchSettings,
  request: MemorySearchRequest,
  signal: AbortSignal,
): Promise<MemorySearchOutcome> {
  const sync = await index.sync();
  signal.throwIfAborted();
  const warnings = [...settings.notes];
  if (sync.limitReached) warnings.push(`Only the first ${MAX_MEMORY_FILES} memory files are searched.`);
  if (sync.truncatedFiles.length > 0) {
    warnings.push(
      `Only the first ${MAX_INDEXED_FILE_BYTES / 1024 / 1024} MiB of ${sync.truncatedFiles.slice(0, 5).join(", ")}` +
        `${sync.truncatedFiles.length > 5 ? ` and ${sync.truncatedFiles.length - 5} more` : ""} is searchable.`,
    );
  }
  const candidateLimit = Math.max(request.maxResults * 4, MIN_CANDIDATES);
  const candidates = new Map<number, Candidate>();
  for (const hit of index.searchText(request.query, candidateLimit)) {
    candidates.set(hit.chunk.id, { chunk: hit.chunk, textScore: hit.textScore, score: hit.textScore });
  }

  const semantic = await rankSemantically(index, vectors, settings, request.query, candidateLimit, signal);
  if (semantic.warning) warnings.push(semantic.warning);
  const { queryVector } = semantic;
  if (queryVector) {
    for (const chunk of semantic.nearest) {
      if (!candidates.has(chunk.id)) candidates.set(chunk.id, { chunk, score: 0 });
    }
    for (const candidate of candidates.values()) {
      const vector = vectors.vectorOf(candidate.chunk);
      const textScore = candidate.textScore ?? 0;
      // A chunk still waiting for its vector ranks by its keywords alone rather than as if it matched nothing.
      candidate.score =
        vector === undefined
          ? textScore
          : settings.vectorWeight * Math.max(0, cosineSimilarity(vector, queryVector)) +
            settings.textWeight * textScore;
    }
  }

  const results = selectResults([...candidates.values()], request, queryVector !== undefined);
  const endpoint = settings.embeddings;
  return {
    results: results.map(toHit),
    provider: settings.provider,
    ...(endpoint ? { model: endpoint.model } : {}),
    mode: queryVector ? "hybrid" : "fts-only",
    ...(warnings.length > 0 ? { warning: warnings.join(" ") } : {}),
    debug: {
      files: sync.files,
      chunks: sync.chunks,
      filesReindexed: sync.filesReindexed,
      filesRemoved: sync.filesRemoved,
      ...(semantic.progress
        ? { embeddedChunks: semantic.progress.embedded, pendingChunks: semantic.progress.pending }
        : {}),
    },
  };
}

interface SemanticRanking {
  /** The chunks closest to the query, best first. */
  nearest: IndexedChunk[];
  queryVector?: Float32Array;
  progress?: EmbeddingProgress;
  warning?: string;
}

async function rankSemantically(
  index: MemoryIndex,
  vectors: ChunkVectors,
  settings: MemorySearchSettings,
  query: string,
  limit: number,
  signal: AbortSignal,
): Promise<SemanticRanking> {
  const endpoint = settings.embeddings;
  if (endpoint === undefined) return { nearest: [] };
  const paused = vectors.pausedReason(endpoint);
  if (paused) return { nearest: [], warning: `Keyword results only: embeddings failed recently: ${paused}.` };
  const deadline = AbortSignal.timeout(EMBEDDINGS_DEADLINE_MS);
  const bounded = AbortSignal.any([signal, deadline]);
  try {
    const progress = await vectors.embedMissing(endpoint, () => index.allChunks(), bounded);
    const queryVector = await vectors.embedQuery(endpoint, query, bounded);
    const scored: Array<[IndexedChunk, number]> = [];
    for (const chunk of index.allChunks()) {
      const vector = vectors.vectorOf(chunk);
      if (vector) scored.push([chunk, cosineSimilarity(vector, queryVector)]);
    }
    scored.sort((a, b) => b[1] - a[1]);
    return {
      nearest: scored.slice(0, limit).map(([chunk]) => chunk),
      queryVector,
      progress,
      ...(progress.pending > 0
        ? { warning: `${progress.pending} memory chunks are not embedded yet and rank by keywords only.` }
        : {}),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = deadline.aborted
      ? `embeddings took longer than ${EMBEDDINGS_DEADLINE_MS / 1000} s`
      : (error as Error).message;
    vectors.recordFailure(reason);
    return { nearest: [], warning: `Keyword results only: embeddings failed: ${reason}.` };
  }
}

/**
 * Results at or above minScore, best first; keyword matches below it fill the remaining slots in hybrid mode, and
 * stand in for an empty list in keyword mode, so a note that literally contains the words is never lost to a
 * threshold. Semantic-only matches must reach minScore.
 */
function selectResults(candidates: Candidate[], request: MemorySearchRequest, hybrid: boolean): Candidate[] {
  const byScore = (a: Candidate, b: Candidate) =>
    b.score - a.score || a.chunk.path.localeCompare(b.chunk.path) || a.chunk.startLine - b.chunk.startLine;
  const strong = candidates.filter((candidate) => candidate.score >= request.minScore).sort(byScore);
  const selected = strong.slice(0, request.maxResults);
  if (selected.length < request.maxResults && (hybrid || selected.length === 0)) {
    const weakKeywordMatches = candidates
      .filter((candidate) => candidate.score < request.minScore && candidate.textScore !== undefined)
      .sort(byScore);
    selected.push(...weakKeywordMatches.slice(0, request.maxResults - selected.length));
  }
  return selected;
}

function toHit(candidate: Candidate): MemorySearchHit {
  const { chunk } = candidate;
  const range =
    chunk.startLine === chunk.endLine ? `L${chunk.startLine}` : `L${chunk.startLine}-L${chunk.endLine}`;
  return {
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    score: Math.round(candidate.score * 1000) / 1000,
    snippet: snippetOf(chunk.text),
    source: "memory",
    citation: `${chunk.path}#${range}`,
  };
}

function snippetOf(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= SNIPPET_MAX_CHARS) return trimmed;
  const cut = trimmed.slice(0, SNIPPET_MAX_CHARS);
  const lastSpace = cut.lastIndexOf(" ");
  // The ellipsis tells the model the snippet is partial; memory_get with the line range reads all of it.
  return `${lastSpace > SNIPPET_MAX_CHARS / 2 ? cut.slice(0, lastSpace) : cut} …`;
}
