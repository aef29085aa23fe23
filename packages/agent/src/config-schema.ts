import { z } from "zod";

export const PROVIDER_APIS = ["openai-completions", "openai-responses", "anthropic-messages"] as const;
export type ProviderApi = (typeof PROVIDER_APIS)[number];

export const ModelEntrySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  contextWindow: z.number().int().positive().optional(),
  /** OpenClaw's cap on the input sent to this model (below its native `contextWindow`); older history is trimmed. */
  contextTokens: z.number().int().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
  /**
   * What the model takes in (OpenClaw's `["text"]` or `["text", "image"]`): images reach it as image parts only when
   * this lists "image". Unset: known vision models (gpt-4o, gpt-5, claude, ...) are assumed to see images.
   */
  input: z.array(z.string().min(1)).optional(),
  /**
   * Whether the model reasons (OpenClaw's flag): only then does a run's thinking level reach it, as an effort or a
   * thinking budget. Unset: known reasoning models (o1/o3/o4, gpt-5, Claude 3.7 Sonnet and 4+) are assumed to.
   */
  reasoning: z.boolean().optional(),
  /** OpenClaw's price, US dollars per million tokens: usage.cost, sessions.usage and the cost metrics use it. */
  cost: z
    .looseObject({
      input: z.number().min(0).optional(),
      output: z.number().min(0).optional(),
      cacheRead: z.number().min(0).optional(),
      cacheWrite: z.number().min(0).optional(),
    })
    .optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

/**
 * `api` is a plain string so that a config written for OpenClaw (which knows more adapters) still parses; an api
 * this runtime cannot speak makes the provider unavailable instead of rejecting the whole config file.
 */
/** OpenClaw's SecretRef: the key is read from the environment, a secrets file or a command by the host. */
export const ProviderKeyRefSchema = z.looseObject({
  source: z.enum(["env", "file", "exec", "store"]),
  provider: z.string().optional(),
  id: z.string().min(1),
});
export type ProviderKeyRef = z.infer<typeof ProviderKeyRefSchema>;

export const ProviderConfigSchema = z.looseObject({
  baseUrl: z.string().min(1).optional(),
  /** The key itself, a `${ENV_VAR}` reference, or a SecretRef the host resolves. */
  apiKey: z.union([z.string(), ProviderKeyRefSchema]).optional(),
  api: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  models: z.array(ModelEntrySchema).default([]),
});
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

export const ModelsConfigSchema = z.looseObject({
  mode: z.enum(["merge", "replace"]).optional(),
  providers: z.record(z.string(), ProviderConfigSchema).optional(),
});
export type ModelsConfig = z.infer<typeof ModelsConfigSchema>;

export const ModelSelectionSchema = z.union([
  z.string().min(1),
  z.looseObject({
    primary: z.string().min(1).optional(),
    fallbacks: z.array(z.string().min(1)).optional(),
  }),
]);
export type ModelSelection = z.infer<typeof ModelSelectionSchema>;

export const AgentDefaultsSchema = z.looseObject({
  model: ModelSelectionSchema.optional(),
  systemPrompt: z.string().optional(),
  /** OpenClaw's run deadline in seconds: a run still going after it is aborted with a timeout error. */
  timeoutSeconds: z.number().int().positive().max(86_400).optional(),
  /** This runtime's older spelling of the deadline, in milliseconds; `timeoutSeconds` wins when both are set. */
  timeoutMs: z.number().int().positive().optional(),
  /**
   * OpenClaw's cap on agent runs in progress at once across sessions (a session runs one at a time anyway); runs
   * beyond it wait in order. Default: max(8, 4 x available CPU parallelism), as in OpenClaw.
   */
  maxConcurrent: z.number().int().min(1).max(1_000).optional(),
  /** Caps every model's input like a model entry's `contextTokens` (which wins); older OpenClaw configs set it here. */
  contextTokens: z.number().int().positive().optional(),
  /** Model calls one run may make while the model keeps calling tools; the run then ends with a note. */
  maxToolSteps: z.number().int().min(1).max(200).optional(),
  /** The thinking level of runs whose request and session set none (OpenClaw's levels); unset is off. */
  thinkingDefault: z.string().optional(),
  /** Where a turn with images goes when the selected model cannot see them (OpenClaw's imageModel). */
  imageModel: ModelSelectionSchema.optional(),
});
export type AgentDefaults = z.infer<typeof AgentDefaultsSchema>;

export const AgentEntrySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  model: ModelSelectionSchema.optional(),
  systemPrompt: z.string().optional(),
  maxToolSteps: z.number().int().min(1).max(200).optional(),
  /** This agent's thinking level when the request and session set none; before `agents.defaults.thinkingDefault`. */
  thinkingDefault: z.string().optional(),
  /** This agent's image model; before `agents.defaults.imageModel`. */
  imageModel: ModelSelectionSchema.optional(),
});
export type AgentEntry = z.infer<typeof AgentEntrySchema>;

export interface AgentRuntimeConfig {
  models?: ModelsConfig;
  agents?: { defaults?: AgentDefaults; list?: AgentEntry[] };
}
