import { availableParallelism } from "node:os";
import type { AgentRuntimeConfig } from "./config-schema.js";
import type { AgentRunRequest } from "./types.js";

/** A run's deadline when neither the request nor the config sets one (OpenClaw's 600 s). */
export const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * A run's deadline: the request's `timeoutMs`, else `agents.defaults.timeoutSeconds` (OpenClaw's key), else this
 * runtime's older `agents.defaults.timeoutMs`, else 600 s.
 */
export function runTimeoutMs(request: AgentRunRequest | undefined, config: AgentRuntimeConfig): number {
  const defaults = config.agents?.defaults;
  if (request?.timeoutMs !== undefined) return request.timeoutMs;
  if (defaults?.timeoutSeconds !== undefined) return defaults.timeoutSeconds * 1_000;
  return defaults?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
}

/** OpenClaw's default cap on runs in progress at once: max(8, 4 x the CPU parallelism). */
export function defaultMaxConcurrentRuns(): number {
  return Math.max(8, availableParallelism() * 4);
}

/** `agents.defaults.maxConcurrent`, else OpenClaw's CPU-derived default. */
export function maxConcurrentRuns(config: AgentRuntimeConfig): number {
  return config.agents?.defaults?.maxConcurrent ?? defaultMaxConcurrentRuns();
}

/**
 * The input budget of one model: its native `contextWindow` (else the built-in default), capped by the entry's
 * `contextTokens`, else by `agents.defaults.contextTokens`.
 */
export function modelContextBudget(
  entry: { contextWindow?: number; contextTokens?: number } | undefined,
  config: AgentRuntimeConfig,
  fallbackWindow: number,
): number {
  const window = entry?.contextWindow ?? fallbackWindow;
  const cap = entry?.contextTokens ?? config.agents?.defaults?.contextTokens;
  return cap === undefined ? window : Math.min(window, cap);
}
