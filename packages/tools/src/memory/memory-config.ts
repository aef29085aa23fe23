import { z } from "zod";

/**
 * `agents.defaults.memorySearch` and an agent's own `memorySearch`, with OpenClaw's key names. Loose, like the rest
 * of the agent config, so a file written for OpenClaw (which knows more keys) still parses; keys this gateway cannot
 * honour are named in every `memory_search` result instead of being ignored silently.
 */
export const MemorySearchConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  /** `openai`, `openai-compatible`, `none` (keywords only) or `auto`; unset searches keywords only. */
  provider: z.string().trim().min(1).max(100).optional(),
  model: z.string().trim().min(1).max(200).optional(),
  fallback: z.string().trim().max(100).optional(),
  remote: z
    .looseObject({
      baseUrl: z.string().trim().min(1).max(2000).optional(),
      apiKey: z.string().max(4000).optional(),
      headers: z.record(z.string(), z.string().max(4000)).optional(),
    })
    .optional(),
  inputType: z.string().trim().max(100).optional(),
  queryInputType: z.string().trim().max(100).optional(),
  documentInputType: z.string().trim().max(100).optional(),
  query: z
    .looseObject({
      maxResults: z.number().int().min(1).max(50).optional(),
      minScore: z.number().min(0).max(1).optional(),
      hybrid: z
        .looseObject({
          enabled: z.boolean().optional(),
          vectorWeight: z.number().min(0).max(1).optional(),
          textWeight: z.number().min(0).max(1).optional(),
        })
        .optional(),
    })
    .optional(),
  extraPaths: z.array(z.unknown()).optional(),
  sources: z.array(z.string()).optional(),
});
export type MemorySearchConfig = z.infer<typeof MemorySearchConfigSchema>;

/** An agent's `memorySearch` over `agents.defaults.memorySearch`, key by key (nested objects merged too). */
export function mergeMemorySearchConfig(
  defaults: MemorySearchConfig | undefined,
  override: MemorySearchConfig | undefined,
): MemorySearchConfig {
  const query =
    defaults?.query || override?.query
      ? {
          ...defaults?.query,
          ...override?.query,
          ...(defaults?.query?.hybrid || override?.query?.hybrid
            ? { hybrid: { ...defaults?.query?.hybrid, ...override?.query?.hybrid } }
            : {}),
        }
      : undefined;
  const remote =
    defaults?.remote || override?.remote ? { ...defaults?.remote, ...override?.remote } : undefined;
  return {
    ...defaults,
    ...override,
    ...(remote ? { remote } : {}),
    ...(query ? { query } : {}),
  };
}

export const DEFAULT_MAX_RESULTS = 6;
export const DEFAULT_MIN_SCORE = 0.35;
const DEFAULT_VECTOR_WEIGHT = 0.7;
const DEFAULT_TEXT_WEIGHT = 0.3;
const OPENAI_BASE_URL = "https://api.openai.com/v1";
const OPENAI_DEFAULT_MODEL = "text-embedding-3-small";

/** Where chunk and query vectors come from: an OpenAI-compatible `POST <baseUrl>/embeddings`. */
export interface EmbeddingsEndpoint {
  provider: string;
  baseUrl: string;
  apiKey?: string;
  model: string;
  headers: Record<string, string>;
  queryInputType?: string;
  documentInputType?: string;
}

export interface MemorySearchSettings {
  enabled: boolean;
  maxResults: number;
  minScore: number;
  vectorWeight: number;
  textWeight: number;
  /** Absent: keyword search only. */
  embeddings?: EmbeddingsEndpoint;
  /** The provider as reported in results: the embeddings provider, or "none". */
  provider: string;
  /** Configuration this gateway cannot honour, said in every result so nothing is ignored silently. */
  notes: string[];
}

const KEY_PREFIX = "memorySearch";

export function resolveMemorySearchSettings(
  config: MemorySearchConfig,
  env: NodeJS.ProcessEnv,
): MemorySearchSettings {
  const notes: string[] = [];
  if (config.extraPaths && config.extraPaths.length > 0) {
    notes.push(
      `${KEY_PREFIX}.extraPaths is not supported by this gateway: only MEMORY.md, USER.md and memory/**/*.md of the workspace are searched.`,
    );
  }
  if (config.sources?.some((source) => source !== "memory")) {
    notes.push(`${KEY_PREFIX}.sources: only "memory" is searched here; session transcripts are not indexed.`);
  }
  const hybrid = config.query?.hybrid;
  const vectorWeight = hybrid?.vectorWeight ?? DEFAULT_VECTOR_WEIGHT;
  const textWeight = hybrid?.textWeight ?? DEFAULT_TEXT_WEIGHT;
  const weightSum = vectorWeight + textWeight > 0 ? vectorWeight + textWeight : 1;
  const embeddings = hybrid?.enabled === false ? undefined : resolveEmbeddingsEndpoint(config, env, notes);
  return {
    enabled: config.enabled ?? true,
    maxResults: config.query?.maxResults ?? DEFAULT_MAX_RESULTS,
    minScore: config.query?.minScore ?? DEFAULT_MIN_SCORE,
    vectorWeight: vectorWeight / weightSum,
    textWeight: textWeight / weightSum,
    ...(embeddings ? { embeddings } : {}),
    provider: embeddings?.provider ?? "none",
    notes,
  };
}

function resolveEmbeddingsEndpoint(
  config: MemorySearchConfig,
  env: NodeJS.ProcessEnv,
  notes: string[],
): EmbeddingsEndpoint | undefined {
  const remote = config.remote;
  const requested = config.provider?.toLowerCase();
  // Embeddings send memory to a provider: only when the config asks for them, never because an API key happens to
  // be in the environment.
  const provider =
    requested === undefined || requested === "auto" ? (remote?.baseUrl ? "openai" : "none") : requested;
  if (provider === "none") return undefined;
  if (provider !== "openai" && provider !== "openai-compatible") {
    notes.push(
      `${KEY_PREFIX}.provider "${config.provider}" is not supported by this gateway: use "openai" or "openai-compatible" with remote.baseUrl; searching keywords only.`,
    );
    return undefined;
  }
  if (config.fallback && config.fallback !== "none") {
    notes.push(
      `${KEY_PREFIX}.fallback "${config.fallback}" is not supported: a failed embeddings call falls back to keywords.`,
    );
  }
  const baseUrl = remote?.baseUrl ?? (provider === "openai" ? OPENAI_BASE_URL : undefined);
  if (baseUrl === undefined) {
    notes.push(`${KEY_PREFIX}.provider "openai-compatible" needs remote.baseUrl; searching keywords only.`);
    return undefined;
  }
  if (!/^https?:\/\//i.test(baseUrl)) {
    notes.push(`${KEY_PREFIX}.remote.baseUrl must be an http(s) URL; searching keywords only.`);
    return undefined;
  }
  const apiKey = remote?.apiKey || (provider === "openai" ? env.OPENAI_API_KEY : undefined) || undefined;
  if (provider === "openai" && apiKey === undefined && remote?.baseUrl === undefined) {
    notes.push(
      `${KEY_PREFIX}.provider "openai" needs an API key: set remote.apiKey or OPENAI_API_KEY; searching keywords only.`,
    );
    return undefined;
  }
  const model = config.model ?? (provider === "openai" ? OPENAI_DEFAULT_MODEL : undefined);
  if (model === undefined) {
    notes.push(`${KEY_PREFIX}.provider "openai-compatible" needs a model; searching keywords only.`);
    return undefined;
  }
  const queryInputType = config.queryInputType || config.inputType || undefined;
  const documentInputType = config.documentInputType || config.inputType || undefined;
  return {
    provider,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    ...(apiKey ? { apiKey } : {}),
    model,
    headers: remote?.headers ?? {},
    ...(queryInputType ? { queryInputType } : {}),
    ...(documentInputType ? { documentInputType } : {}),
  };
}
