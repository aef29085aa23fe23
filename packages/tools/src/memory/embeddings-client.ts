import { z } from "zod";
import { readResponseText } from "../web/response-body.js";
import type { EmbeddingsEndpoint } from "./memory-config.js";

/** Inputs per request: well under OpenAI's 2048, so one slow batch costs little. */
export const MAX_BATCH_INPUTS = 64;
/** Characters per request (about 15k tokens), under every provider's per-request token limit. */
const MAX_BATCH_CHARS = 60_000;
/** One input is cut to this (about 2k tokens): chunks are far smaller, a query may not be. */
const MAX_INPUT_CHARS = 8000;
const REQUEST_TIMEOUT_MS = 15_000;
/** A 64-input answer of 3072-dimension floats is about 4 MB of JSON. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_DIMENSIONS = 16_384;

export class EmbeddingsError extends Error {
  override readonly name = "EmbeddingsError";
}

const EmbeddingsResponseSchema = z.object({
  data: z
    .array(
      z.object({
        index: z.number().int().min(0),
        embedding: z.array(z.number()).min(1).max(MAX_DIMENSIONS),
      }),
    )
    .min(1),
});

/** Splits items into request-sized batches (by count and by characters of their text), keeping their order. */
export function batchInputs<T>(items: T[], textOf: (item: T) => string): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let chars = 0;
  for (const item of items) {
    const length = Math.min(textOf(item).length, MAX_INPUT_CHARS);
    if (batch.length > 0 && (batch.length >= MAX_BATCH_INPUTS || chars + length > MAX_BATCH_CHARS)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(item);
    chars += length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * One `POST <baseUrl>/embeddings` for a batch (see {@link batchInputs}); vectors come back unit length, in input
 * order. Throws {@link EmbeddingsError} with a message fit for a result warning (never the API key).
 */
export async function requestEmbeddings(
  endpoint: EmbeddingsEndpoint,
  inputs: string[],
  kind: "query" | "document",
  signal: AbortSignal,
): Promise<Float32Array[]> {
  const inputType = kind === "query" ? endpoint.queryInputType : endpoint.documentInputType;
  let response: Response;
  try {
    response = await fetch(`${endpoint.baseUrl}/embeddings`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...endpoint.headers,
        ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: endpoint.model,
        input: inputs.map((text) => text.slice(0, MAX_INPUT_CHARS)),
        encoding_format: "float",
        ...(inputType ? { input_type: inputType } : {}),
      }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      redirect: "error",
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const timedOut = (error as Error | null)?.name === "TimeoutError";
    throw new EmbeddingsError(
      timedOut
        ? `the embeddings request to ${endpoint.baseUrl} took longer than ${REQUEST_TIMEOUT_MS / 1000} s`
        : `the embeddings request to ${endpoint.baseUrl} failed: ${(error as Error).message}`,
    );
  }
  const body = await readResponseText(
    response,
    MAX_RESPONSE_BYTES,
    () => new EmbeddingsError(`the embeddings answer passed ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`),
  );
  if (!response.ok) {
    throw new EmbeddingsError(
      `${endpoint.baseUrl}/embeddings answered HTTP ${response.status}${errorDetail(body)}`,
    );
  }
  let parsed: z.infer<typeof EmbeddingsResponseSchema>;
  try {
    parsed = EmbeddingsResponseSchema.parse(JSON.parse(body));
  } catch {
    throw new EmbeddingsError(
      `${endpoint.baseUrl}/embeddings answered something that is not an embeddings list`,
    );
  }
  const vectors = new Array<Float32Array | undefined>(inputs.length);
  for (const item of parsed.data) {
    if (item.index < inputs.length) vectors[item.index] = unit(item.embedding);
  }
  const dimensions = vectors[0]?.length;
  if (vectors.some((vector) => vector === undefined || vector.length !== dimensions)) {
    throw new EmbeddingsError(
      `${endpoint.baseUrl}/embeddings returned ${parsed.data.length} vectors of mixed or missing sizes for ${inputs.length} inputs`,
    );
  }
  return vectors as Float32Array[];
}

function errorDetail(body: string): string {
  try {
    const message = JSON.parse(body)?.error?.message;
    if (typeof message === "string" && message.trim() !== "") return `: ${message.trim().slice(0, 300)}`;
  } catch {
    // Not JSON: the status alone says enough.
  }
  return "";
}

function unit(values: number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

/** Cosine similarity of two unit vectors; 0 when their sizes differ. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}
