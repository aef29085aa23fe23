import type { JSONValue } from "ai";
import type { AgentRuntimeConfig, ModelEntry, ProviderApi } from "./config-schema.js";

/** OpenClaw's thinking levels, in its order. */
export const THINKING_LEVELS = [
  "off",
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "adaptive",
  "max",
  "ultra",
] as const;
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];

/** Words that mean "no setting here, ask the next layer" rather than a level. */
const INHERIT_WORDS = new Set(["default", "inherit", "reset", "clear", "unpin"]);

/**
 * OpenClaw's spellings: `none`/`disabled` is off, `auto` is adaptive, `extra-high` is xhigh, `highest` is high; case,
 * spaces, dashes and underscores are ignored. Anything else (including "default") is undefined.
 */
export function normalizeThinkingLevel(raw: string | undefined): ThinkingLevel | undefined {
  if (raw === undefined) return undefined;
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
  if (INHERIT_WORDS.has(key)) return undefined;
  if (key === "none" || key === "disabled") return "off";
  if (key === "auto") return "adaptive";
  if (key === "extrahigh") return "xhigh";
  if (key === "highest") return "high";
  return THINKING_LEVELS.find((level) => level === key);
}

/**
 * The level a run uses, as OpenClaw resolves it: the request's, else the session's, else the agent's
 * `thinkingDefault`, else `agents.defaults.thinkingDefault`, else off. A layer holding a word that is no level is
 * skipped, so a stale or mistyped setting never fails a run.
 */
export function resolveThinkingLevel(
  layers: { request?: string; session?: string; agentId: string },
  config: AgentRuntimeConfig,
): ThinkingLevel {
  const agent = config.agents?.list?.find((entry) => entry.id === layers.agentId);
  const candidates = [
    layers.request,
    layers.session,
    agent?.thinkingDefault,
    config.agents?.defaults?.thinkingDefault,
  ];
  for (const candidate of candidates) {
    const level = normalizeThinkingLevel(candidate);
    if (level !== undefined) return level;
  }
  return "off";
}

/**
 * Model ids known to reason, for models whose entry does not say (`reasoning` unset) or that have no entry. Matched
 * like the vision list: on the id's last path segment, lowercased. Kept to families whose APIs accept the options
 * below: OpenAI's o-series and GPT-5 (reasoning effort), Claude 3.7 Sonnet and the Claude 4 family (extended
 * thinking budgets). `gpt-5-chat` is GPT-5's non-reasoning chat model.
 */
const REASONING_MODEL_PATTERNS: readonly RegExp[] = [
  /^o[134](-|$)/,
  /^gpt-5(?!(\.\d+)?-chat)/,
  /^claude-3-7-sonnet/,
  /^claude-(opus|sonnet|haiku)-[4-9]/,
];

/** Whether a model reasons: its entry's `reasoning` decides; without one, the known reasoning models do. */
export function modelReasons(entry: ModelEntry | undefined, modelId: string): boolean {
  if (entry?.reasoning !== undefined) return entry.reasoning;
  const id = (modelId.split("/").at(-1) ?? modelId).toLowerCase();
  return REASONING_MODEL_PATTERNS.some((pattern) => pattern.test(id));
}

type OpenAIEffort = "minimal" | "low" | "medium" | "high";

/**
 * OpenAI's efforts stop at high; the levels above it ask for the most there is. `adaptive` leaves the amount to the
 * model, which is what medium (OpenAI's own default) does. Only the GPT-5 models of the first release take
 * `minimal`; the o-series and later GPT-5 releases get low instead, their least.
 */
function openAIEffort(level: Exclude<ThinkingLevel, "off">, modelId: string): OpenAIEffort {
  switch (level) {
    case "minimal":
      return /^gpt-5(-|$)/.test(modelId) ? "minimal" : "low";
    case "low":
      return "low";
    case "medium":
    case "adaptive":
      return "medium";
    default:
      return "high";
  }
}

/**
 * Anthropic's thinking budgets in tokens, after OpenClaw's think < think hard < think harder < ultrathink ladder.
 * 1024 is the least the API accepts. The SDK adds the budget to the answer's max_tokens and cuts the sum to the
 * model's output limit; the budget must stay under that limit (32k on Claude Opus 4/4.1, the smallest) or the API
 * refuses the request, so the top levels stop at 24k.
 */
export const ANTHROPIC_THINKING_BUDGETS: Record<Exclude<ThinkingLevel, "off">, number> = {
  minimal: 1_024,
  low: 4_096,
  medium: 10_000,
  adaptive: 10_000,
  high: 16_000,
  xhigh: 20_000,
  max: 24_000,
  ultra: 24_000,
};

/** `streamText`'s `providerOptions`: options per provider namespace. */
export type ReasoningProviderOptions = Record<string, Record<string, JSONValue>>;

/**
 * The AI SDK provider options that ask one model for `level`, or undefined when nothing is to be sent: the level
 * is off (the provider's default then applies: Anthropic does not think, OpenAI's reasoning models use their own
 * default effort, as not every one of them can be turned off) or the model cannot reason (a non-reasoning model
 * answers an effort or thinking field with a 400).
 */
export function reasoningProviderOptions(
  api: ProviderApi | undefined,
  level: ThinkingLevel,
  entry: ModelEntry | undefined,
  modelId: string,
): ReasoningProviderOptions | undefined {
  if (level === "off" || !modelReasons(entry, modelId)) return undefined;
  const id = (modelId.split("/").at(-1) ?? modelId).toLowerCase();
  switch (api) {
    case "openai-responses":
      // forceReasoning: the SDK sends the effort only to models it knows to reason; the entry may know better.
      return { openai: { reasoningEffort: openAIEffort(level, id), forceReasoning: true } };
    case "openai-completions":
      return { openaiCompatible: { reasoningEffort: openAIEffort(level, id) } };
    case "anthropic-messages":
      return {
        anthropic: { thinking: { type: "enabled", budgetTokens: ANTHROPIC_THINKING_BUDGETS[level] } },
      };
    default:
      return undefined;
  }
}
