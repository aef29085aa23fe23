import type { IncomingMessage } from "node:http";
import { estimateTokens } from "./fake-reply.js";
import { providerErrorBody } from "./provider-errors.js";

export const EMBEDDINGS_PATH = "/v1/embeddings";
/** Vector length when the request does not ask for `dimensions`. */
export const FAKE_EMBEDDING_DIMENSIONS = 256;
const MAX_DIMENSIONS = 3072;
/** OpenAI's own limit on inputs per request. */
const MAX_INPUTS = 2048;

export interface RecordedEmbeddingsRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (typed as `JSON.parse` types it), or the raw text when it was not JSON. */
  body: ReturnType<typeof JSON.parse>;
  model: string;
  /** The texts asked for, in order; empty when the body was malformed. */
  inputs: string[];
  receivedAt: number;
}

/** The fake `POST /v1/embeddings` endpoint of a fake model server, as a test drives it. */
export interface FakeEmbeddings {
  /** Every embeddings request received, oldest first (also refused ones). */
  readonly requests: RecordedEmbeddingsRequest[];
  /** Answers the next `count` embeddings requests with this HTTP status in OpenAI's error shape (e.g. 500, 429). */
  failNext(status: number, count?: number): void;
  /**
   * Words of one group embed in the same direction, so two texts saying the same thing in other words land close
   * (e.g. `[["car", "automobile"]]`); without groups the vectors only see shared words.
   */
  setSynonyms(groups: string[][]): void;
  /** Forgets requests, pending failures and synonyms. */
  reset(): void;
}

export interface EmbeddingsAnswer {
  status: number;
  body: unknown;
}

/** The route behind {@link FakeEmbeddings}: the fake model server hands it each `POST /v1/embeddings`. */
export interface EmbeddingsRoute {
  readonly controller: FakeEmbeddings;
  answer(req: IncomingMessage, body: ReturnType<typeof JSON.parse>, authorized: boolean): EmbeddingsAnswer;
}

// Words that carry no meaning of their own; dropping them keeps short texts about one thing close together.
const STOPWORDS = new Set(
  "a an and are as at be by for from has have i in is it its my of on or our that the this to was we were will with you your".split(
    " ",
  ),
);

export function createEmbeddingsRoute(): EmbeddingsRoute {
  const requests: RecordedEmbeddingsRequest[] = [];
  const failures: number[] = [];
  let synonyms = new Map<string, string>();

  const controller: FakeEmbeddings = {
    requests,
    failNext: (status, count = 1) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    setSynonyms: (groups) => {
      synonyms = new Map();
      for (const group of groups) {
        const canonical = group[0]?.toLowerCase();
        if (canonical === undefined) continue;
        for (const word of group) synonyms.set(word.toLowerCase(), canonical);
      }
    },
    reset: () => {
      requests.length = 0;
      failures.length = 0;
      synonyms = new Map();
    },
  };

  const answer = (
    req: IncomingMessage,
    body: ReturnType<typeof JSON.parse>,
    authorized: boolean,
  ): EmbeddingsAnswer => {
    const inputs = inputsOf(body);
    const model = typeof body?.model === "string" ? body.model : "";
    requests.push({
      path: EMBEDDINGS_PATH,
      headers: { ...req.headers },
      body,
      model,
      inputs: inputs ?? [],
      receivedAt: Date.now(),
    });
    if (!authorized) return { status: 401, body: providerErrorBody("openai", 401) };
    const failure = failures.shift();
    if (failure !== undefined) return { status: failure, body: providerErrorBody("openai", failure) };
    if (model === "") return invalid("you must provide a model parameter");
    if (inputs === undefined) {
      return invalid(
        `'input' must be a non-empty string or an array of 1 to ${MAX_INPUTS} non-empty strings`,
      );
    }
    const dimensions = body.dimensions ?? FAKE_EMBEDDING_DIMENSIONS;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      return invalid(`'dimensions' must be an integer from 1 to ${MAX_DIMENSIONS}`);
    }
    const base64 = body.encoding_format === "base64";
    const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
    return {
      status: 200,
      body: {
        object: "list",
        data: inputs.map((text, index) => {
          const vector = fakeEmbedding(text, { dimensions, synonyms });
          return { object: "embedding", index, embedding: base64 ? encodeBase64(vector) : vector };
        }),
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    };
  };

  return { controller, answer };
}

/**
 * The fake's deterministic vector for a text: a hashed bag of words (stopwords dropped, a plural "s" cut, synonyms
 * folded), unit length. Texts sharing words point the same way; a text without words gets a fixed unit vector.
 */
export function fakeEmbedding(
  text: string,
  options: { dimensions?: number; synonyms?: ReadonlyMap<string, string> } = {},
): number[] {
  const dimensions = options.dimensions ?? FAKE_EMBEDDING_DIMENSIONS;
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (STOPWORDS.has(word)) continue;
    const stem = singular(word);
    const hash = fnv1a(options.synonyms?.get(word) ?? options.synonyms?.get(stem) ?? stem);
    const slot = hash % dimensions;
    vector[slot] = (vector[slot] ?? 0) + (hash >>> 31 === 1 ? -1 : 1);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) return vector.map((_, index) => (index === 0 ? 1 : 0));
  return vector.map((value) => value / norm);
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function inputsOf(body: ReturnType<typeof JSON.parse>): string[] | undefined {
  const input = body?.input;
  const list: unknown[] = typeof input === "string" ? [input] : Array.isArray(input) ? input : [];
  if (list.length === 0 || list.length > MAX_INPUTS) return undefined;
  if (!list.every((item): item is string => typeof item === "string" && item.length > 0)) return undefined;
  return list;
}

// What the OpenAI SDK asks for by default: little-endian float32s, base64-encoded.
function encodeBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

function invalid(message: string): EmbeddingsAnswer {
  return { status: 400, body: providerErrorBody("openai", 400, message) };
}
