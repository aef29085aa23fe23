import { AgentError } from "@openclaw/agent";
import type { SessionsListResult } from "@openclaw/protocol";
import { defaultAgentId } from "../config/configured-agents.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";

export type SessionDefaults = SessionsListResult["defaults"];

/**
 * What a session of `agentId` (default: the default agent) runs with when it picks no model: OpenClaw reports it
 * beside `sessions.list` and in `chat.startup`. Provider and model are null while no provider is configured (the
 * runtime then has no model to name), and `contextTokens` is null when the model's entry gives no context window.
 */
export function sessionDefaults(runtime: GatewayRuntime, agentId?: string): SessionDefaults {
  const agent = agentId ?? defaultAgentId(runtime.configState.config);
  const resolved = resolveDefaultModel(runtime, agent);
  if (resolved === undefined) return { modelProvider: null, model: null, contextTokens: null };
  const listed = runtime.chat.agent
    .listModels()
    .find((model) => model.provider === resolved.provider && model.id === resolved.model);
  const defaults: SessionDefaults = {
    modelProvider: resolved.provider,
    model: resolved.model,
    contextTokens: listed?.contextWindow ?? null,
  };
  const thinking = configuredThinkingDefault(runtime);
  if (thinking !== undefined) defaults.thinkingDefault = thinking;
  return defaults;
}

/** The model a run of `agentId` uses when the session names none (its own, else `agents.defaults.model`). */
export function resolveDefaultModel(
  runtime: GatewayRuntime,
  agentId: string,
): { provider: string; model: string } | undefined {
  try {
    const { provider, model } = runtime.chat.agent.resolveModel(undefined, agentId);
    return { provider, model };
  } catch (error) {
    // No provider or no model configured: there is no default model to report.
    if (error instanceof AgentError) return undefined;
    throw error;
  }
}

/** `agents.defaults.thinkingDefault` when the config sets one. */
function configuredThinkingDefault(runtime: GatewayRuntime): string | undefined {
  const defaults = runtime.configState.config.agents.defaults as Record<string, unknown> | undefined;
  const value = defaults?.thinkingDefault;
  return typeof value === "string" ? value : undefined;
}
