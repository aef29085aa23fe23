import { z } from "zod";

// OpenClaw's `tools.media` shapes, the parts transcription reads. Objects stay loose: OpenClaw has more keys
// (scope, attachments, echoTranscript, ...) that a valid config may carry.

const positive = z.number().positive();

export const MediaModelEntrySchema = z.looseObject({
  type: z.enum(["provider", "cli"]).optional(),
  provider: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  baseUrl: z.string().url().optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  language: z.string().min(1).optional(),
  prompt: z.string().optional(),
  maxBytes: positive.optional(),
  maxChars: positive.optional(),
  timeoutSeconds: positive.optional(),
  capabilities: z.array(z.string()).optional(),
  command: z.string().optional(),
});
export type MediaModelEntry = z.infer<typeof MediaModelEntrySchema>;

export const AudioMediaConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  /** Defaults for every entry: OpenClaw lets the capability carry them. */
  baseUrl: z.string().url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  models: z.array(MediaModelEntrySchema).optional(),
  preferredModel: z.string().optional(),
  language: z.string().min(1).optional(),
  prompt: z.string().optional(),
  maxBytes: positive.optional(),
  maxChars: positive.optional(),
  timeoutSeconds: positive.optional(),
});

export const ToolsMediaConfigSchema = z.looseObject({
  models: z.array(MediaModelEntrySchema).optional(),
  audio: AudioMediaConfigSchema.optional(),
});
export type ToolsMediaConfig = z.infer<typeof ToolsMediaConfigSchema>;

const ProviderSchema = z.looseObject({
  baseUrl: z.string().optional(),
  /** A string (`${VAR}` names an environment variable) or a `{ source: "env", id }` reference. */
  apiKey: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
export const ProvidersConfigSchema = z.record(z.string(), ProviderSchema);
export type ProvidersConfig = z.infer<typeof ProvidersConfigSchema>;

/** OpenClaw's audio defaults (nodes/audio.md): 20 MB per file, 60 s per request. */
export const DEFAULT_AUDIO_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_AUDIO_TIMEOUT_SECONDS = 60;

/** Hosted providers that speak OpenAI's `/audio/transcriptions`, in OpenClaw's auto-detect order. */
export const KNOWN_TRANSCRIPTION_PROVIDERS: ReadonlyArray<{
  id: string;
  baseUrl: string;
  envKey: string;
  defaultModel: string;
}> = [
  {
    id: "groq",
    baseUrl: "https://api.groq.com/openai/v1",
    envKey: "GROQ_API_KEY",
    defaultModel: "whisper-large-v3-turbo",
  },
  {
    id: "openai",
    baseUrl: "https://api.openai.com/v1",
    envKey: "OPENAI_API_KEY",
    defaultModel: "gpt-4o-transcribe",
  },
  {
    id: "mistral",
    baseUrl: "https://api.mistral.ai/v1",
    envKey: "MISTRAL_API_KEY",
    defaultModel: "voxtral-mini-latest",
  },
];

/** One ready-to-call transcription endpoint. */
export interface TranscriptionTarget {
  provider: string;
  model: string;
  baseUrl: string;
  apiKey?: string;
  headers: Record<string, string>;
  language?: string;
  prompt?: string;
  maxBytes: number;
  maxChars?: number;
  timeoutMs: number;
  /** Where in the config this entry came from, for error messages. */
  configPath: string;
}

const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * A key as the config may write it: a literal, `${VAR}` (as the model providers' `apiKey`), or an env reference
 * `{ source: "env", id: "VAR" }`. Anything else (a file or exec reference) is not resolved here.
 */
export function resolveSecret(value: unknown, env: NodeJS.ProcessEnv): string | undefined {
  if (isEnvReference(value)) return nonEmpty(env[value.id]);
  if (typeof value !== "string" || value === "") return undefined;
  const reference = ENV_REFERENCE.exec(value);
  if (!reference?.[1]) return value;
  return nonEmpty(env[reference[1]]);
}

function isEnvReference(value: unknown): value is { source: "env"; id: string } {
  if (typeof value !== "object" || value === null) return false;
  const reference = value as { source?: unknown; id?: unknown };
  return reference.source === "env" && typeof reference.id === "string";
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
