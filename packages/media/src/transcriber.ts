import { z } from "zod";
import { MediaSizeError } from "./media-error.js";
import { readResponseCapped } from "./read-capped.js";
import {
  DEFAULT_AUDIO_MAX_BYTES,
  DEFAULT_AUDIO_TIMEOUT_SECONDS,
  KNOWN_TRANSCRIPTION_PROVIDERS,
  type MediaModelEntry,
  type ProvidersConfig,
  ProvidersConfigSchema,
  resolveSecret,
  type ToolsMediaConfig,
  ToolsMediaConfigSchema,
  type TranscriptionTarget,
} from "./transcription-config.js";
import { TranscriptionError } from "./transcription-error.js";

export interface TranscribeOptions {
  mimeType: string;
  fileName?: string;
  signal?: AbortSignal;
}

export interface Transcript {
  text: string;
  provider: string;
  model: string;
}

export interface Transcriber {
  transcribe(bytes: Uint8Array, options: TranscribeOptions): Promise<Transcript>;
}

export interface CreateTranscriberOptions {
  /** The config's `tools.media` (OpenClaw's shape). */
  media: unknown;
  /** The config's `models.providers`: a missing `baseUrl`/`apiKey` of a media model comes from here. */
  providers: unknown;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** The largest transcription response read: a transcript of 20 MB of audio is far smaller. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const HOW_TO_CONFIGURE =
  'add tools.media.audio.models, e.g. [{ provider: "openai", model: "gpt-4o-transcribe" }] with models.providers.openai.apiKey set (any OpenAI-compatible /audio/transcriptions server works through its baseUrl)';

const TranscriptionResponseSchema = z.looseObject({ text: z.string() });

/**
 * A transcriber for voice notes from OpenClaw's `tools.media` config: the entries of `tools.media.audio.models`, or
 * else the `tools.media.models` entries tagged `capabilities: ["audio"]`, or else the first hosted provider with a key
 * (Groq, OpenAI, Mistral). Entries are tried in order; one that fails or is too small for the file hands over to the
 * next. Without a usable entry, `reason` says why and how to configure one.
 */
export function createTranscriber(options: CreateTranscriberOptions): {
  transcriber?: Transcriber;
  reason?: string;
} {
  const env = options.env ?? process.env;
  const media = ToolsMediaConfigSchema.safeParse(options.media ?? {});
  if (!media.success) {
    const issue = media.error.issues[0];
    return {
      reason: `tools.media is invalid at ${["tools", "media", ...(issue?.path ?? [])].join(".")}: ${issue?.message}`,
    };
  }
  const providers = ProvidersConfigSchema.safeParse(options.providers ?? {});
  const providerConfig: ProvidersConfig = providers.success ? providers.data : {};
  if (media.data.audio?.enabled === false) {
    return { reason: "voice transcription is turned off (tools.media.audio.enabled is false)" };
  }
  const { targets, skipped } = resolveTargets(media.data, providerConfig, env);
  if (targets.length === 0) {
    const why =
      skipped.length > 0
        ? `no usable transcription model: ${skipped.join("; ")}`
        : "voice transcription is not configured";
    return { reason: `${why}; ${HOW_TO_CONFIGURE}` };
  }
  const fetchImpl = options.fetch ?? fetch;
  return {
    transcriber: {
      async transcribe(bytes, transcribeOptions) {
        const failures: TranscriptionError[] = [];
        for (const target of targets) {
          try {
            return await transcribeWith(target, bytes, transcribeOptions, fetchImpl);
          } catch (error) {
            if (transcribeOptions.signal?.aborted) throw error;
            failures.push(toTranscriptionError(error, target));
          }
        }
        if (failures.length === 1 && failures[0]) throw failures[0];
        throw new TranscriptionError(
          "TRANSCRIPTION_FAILED",
          `every transcription model failed: ${failures.map((failure) => failure.message).join(" | ")}`,
        );
      },
    },
  };
}

function resolveTargets(
  media: ToolsMediaConfig,
  providers: ProvidersConfig,
  env: NodeJS.ProcessEnv,
): { targets: TranscriptionTarget[]; skipped: string[] } {
  const audioModels = media.audio?.models ?? [];
  const configured =
    audioModels.length > 0
      ? audioModels.map((entry, index) => ({ entry, configPath: `tools.media.audio.models[${index}]` }))
      : (media.models ?? []).flatMap((entry, index) =>
          entry.capabilities?.includes("audio")
            ? [{ entry, configPath: `tools.media.models[${index}]` }]
            : [],
        );
  const targets: TranscriptionTarget[] = [];
  const skipped: string[] = [];
  if (configured.length === 0) {
    const detected = autoDetect(media, providers, env);
    return { targets: detected ? [detected] : [], skipped };
  }
  for (const { entry, configPath } of preferFirst(configured, media.audio?.preferredModel)) {
    const target = toTarget(entry, configPath, media, providers, env);
    if (typeof target === "string") skipped.push(target);
    else targets.push(target);
  }
  return { targets, skipped };
}

function preferFirst<T extends { entry: MediaModelEntry }>(entries: T[], preferred: string | undefined): T[] {
  if (!preferred) return entries;
  const matches = (entry: MediaModelEntry) =>
    `${entry.provider}/${entry.model}` === preferred ||
    entry.model === preferred ||
    `provider:${entry.provider}` === preferred;
  return [...entries.filter((e) => matches(e.entry)), ...entries.filter((e) => !matches(e.entry))];
}

function toTarget(
  entry: MediaModelEntry,
  configPath: string,
  media: ToolsMediaConfig,
  providers: ProvidersConfig,
  env: NodeJS.ProcessEnv,
): TranscriptionTarget | string {
  if (entry.type === "cli") return `${configPath} is a CLI entry, which this gateway does not run`;
  if (!entry.provider) return `${configPath} has no provider`;
  const known = KNOWN_TRANSCRIPTION_PROVIDERS.find((p) => p.id === entry.provider);
  const provider = providers[entry.provider];
  const model = entry.model ?? known?.defaultModel;
  if (!model) return `${configPath} has no model`;
  const baseUrl = entry.baseUrl ?? media.audio?.baseUrl ?? provider?.baseUrl ?? known?.baseUrl;
  if (!baseUrl)
    return `${configPath} has no baseUrl (set it there or in models.providers.${entry.provider}.baseUrl)`;
  const apiKey =
    resolveSecret(entry.apiKey, env) ??
    resolveSecret(provider?.apiKey, env) ??
    (known ? resolveSecret(env[known.envKey], env) : undefined);
  return buildTarget(media, {
    provider: entry.provider,
    model,
    baseUrl,
    apiKey,
    headers: { ...provider?.headers, ...media.audio?.headers, ...entry.headers },
    entry,
    configPath,
  });
}

function autoDetect(
  media: ToolsMediaConfig,
  providers: ProvidersConfig,
  env: NodeJS.ProcessEnv,
): TranscriptionTarget | undefined {
  for (const known of KNOWN_TRANSCRIPTION_PROVIDERS) {
    const provider = providers[known.id];
    const apiKey = resolveSecret(provider?.apiKey, env) ?? resolveSecret(env[known.envKey], env);
    if (!apiKey) continue;
    return buildTarget(media, {
      provider: known.id,
      model: known.defaultModel,
      baseUrl: provider?.baseUrl ?? known.baseUrl,
      apiKey,
      headers: { ...provider?.headers },
      entry: {},
      configPath: `models.providers.${known.id}`,
    });
  }
  return undefined;
}

function buildTarget(
  media: ToolsMediaConfig,
  o: {
    provider: string;
    model: string;
    baseUrl: string;
    apiKey: string | undefined;
    headers: Record<string, string>;
    entry: MediaModelEntry;
    configPath: string;
  },
): TranscriptionTarget {
  const audio = media.audio;
  const language = o.entry.language ?? audio?.language;
  const prompt = o.entry.prompt ?? audio?.prompt;
  const maxChars = o.entry.maxChars ?? audio?.maxChars;
  return {
    provider: o.provider,
    model: o.model,
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    ...(o.apiKey === undefined ? {} : { apiKey: o.apiKey }),
    headers: o.headers,
    ...(language === undefined ? {} : { language }),
    ...(prompt ? { prompt } : {}),
    ...(maxChars === undefined ? {} : { maxChars }),
    maxBytes: o.entry.maxBytes ?? audio?.maxBytes ?? DEFAULT_AUDIO_MAX_BYTES,
    timeoutMs: (o.entry.timeoutSeconds ?? audio?.timeoutSeconds ?? DEFAULT_AUDIO_TIMEOUT_SECONDS) * 1000,
    configPath: o.configPath,
  };
}

async function transcribeWith(
  target: TranscriptionTarget,
  bytes: Uint8Array,
  options: TranscribeOptions,
  fetchImpl: typeof fetch,
): Promise<Transcript> {
  if (bytes.byteLength > target.maxBytes) {
    throw new TranscriptionError(
      "AUDIO_TOO_LARGE",
      `${target.provider}/${target.model}: the audio has ${bytes.byteLength} bytes, more than ${target.maxBytes} (raise ${target.configPath}.maxBytes or tools.media.audio.maxBytes)`,
    );
  }
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type: options.mimeType }), uploadName(options));
  form.append("model", target.model);
  if (target.language) form.append("language", target.language);
  if (target.prompt) form.append("prompt", target.prompt);
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetchImpl(`${target.baseUrl}/audio/transcriptions`, {
      method: "POST",
      headers: { ...target.headers, ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}) },
      body: form,
      signal,
    });
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw timeoutError(target);
    throw new TranscriptionError(
      "TRANSCRIPTION_UNREACHABLE",
      `${target.provider}/${target.model}: ${target.baseUrl} did not answer (${(error as Error).message}); check ${target.configPath} baseUrl`,
      { cause: error },
    );
  }
  let body: Uint8Array;
  try {
    body = await readResponseCapped(response, MAX_RESPONSE_BYTES);
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw timeoutError(target);
    if (error instanceof MediaSizeError) throw badResponse(target, "the response is too large");
    throw error;
  }
  const bodyText = new TextDecoder().decode(body);
  if (!response.ok) throw httpError(target, response.status, bodyText);
  let parsed: z.infer<typeof TranscriptionResponseSchema>;
  try {
    parsed = TranscriptionResponseSchema.parse(JSON.parse(bodyText));
  } catch {
    throw badResponse(target, "the response is not JSON with a text field");
  }
  const text =
    target.maxChars === undefined ? parsed.text.trim() : parsed.text.trim().slice(0, target.maxChars);
  return { text, provider: target.provider, model: target.model };
}

/** The upload needs an extension the provider knows: OpenAI decides the format by the file name. */
function uploadName(options: TranscribeOptions): string {
  const base = options.fileName?.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_") || "audio";
  return `${base}.${AUDIO_EXTENSIONS[options.mimeType.split(";")[0]?.trim().toLowerCase() ?? ""] ?? "ogg"}`;
}

const AUDIO_EXTENSIONS: Record<string, string> = {
  "audio/ogg": "ogg",
  "audio/opus": "ogg",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/x-m4a": "m4a",
  "audio/aac": "m4a",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/vnd.wave": "wav",
  "audio/webm": "webm",
  "video/webm": "webm",
  "audio/flac": "flac",
  "audio/x-flac": "flac",
  "video/mp4": "mp4",
};

function timeoutError(target: TranscriptionTarget): TranscriptionError {
  return new TranscriptionError(
    "TRANSCRIPTION_TIMEOUT",
    `${target.provider}/${target.model}: no transcript within ${target.timeoutMs / 1000} s (raise ${target.configPath}.timeoutSeconds or tools.media.audio.timeoutSeconds)`,
  );
}

function badResponse(target: TranscriptionTarget, what: string): TranscriptionError {
  return new TranscriptionError(
    "TRANSCRIPTION_BAD_RESPONSE",
    `${target.provider}/${target.model}: ${what}; is ${target.baseUrl} an OpenAI-compatible transcription server? (${target.configPath})`,
  );
}

function httpError(target: TranscriptionTarget, status: number, body: string): TranscriptionError {
  const detail = body.replace(/\s+/g, " ").slice(0, 200);
  const fix =
    status === 401 || status === 403
      ? `check the API key (models.providers.${target.provider}.apiKey or ${target.configPath}.apiKey)`
      : status === 404
        ? `check the baseUrl and model (${target.configPath})`
        : `see ${target.configPath}`;
  return new TranscriptionError(
    "TRANSCRIPTION_HTTP_ERROR",
    `${target.provider}/${target.model}: HTTP ${status} from ${target.baseUrl}/audio/transcriptions: ${detail}; ${fix}`,
    { status },
  );
}

function toTranscriptionError(error: unknown, target: TranscriptionTarget): TranscriptionError {
  if (error instanceof TranscriptionError) return error;
  return new TranscriptionError(
    "TRANSCRIPTION_FAILED",
    `${target.provider}/${target.model}: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}
