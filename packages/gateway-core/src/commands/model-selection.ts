import type { SessionStoreRow } from "@openclaw/sessions";
import type { CommandInvocation, CommandServices } from "./command-services.js";

/** The session's pinned model if any, else the agent's configured one. */
export function currentModel(
  invocation: Pick<CommandInvocation, "agentId">,
  services: CommandServices,
  row: SessionStoreRow | undefined,
): { ref: string | undefined; pinned: boolean } {
  if (row?.model) return { ref: row.model, pinned: true };
  try {
    return { ref: services.agent.resolveModel(undefined, invocation.agentId).ref, pinned: false };
  } catch {
    return { ref: undefined, pinned: false };
  }
}

/**
 * The model the session's next run uses and whether a thinking level reaches it; undefined when no model resolves
 * (then nothing can be said about it).
 */
export function modelReasoning(
  invocation: Pick<CommandInvocation, "agentId">,
  services: CommandServices,
  row: SessionStoreRow | undefined,
): { ref: string; reasoning: boolean | undefined } | undefined {
  try {
    const model = services.agent.resolveModel(row?.model ?? undefined, invocation.agentId);
    return { ref: model.ref, reasoning: model.reasoning };
  } catch {
    return undefined;
  }
}

/**
 * A configured model by `provider/model`, by model id, by display name, or by provider alone (its first model),
 * case-insensitively; undefined when nothing or more than one model matches.
 */
export function findModel(
  query: string,
  services: CommandServices,
): { ref: string; available: boolean } | undefined {
  const wanted = query.trim().toLowerCase();
  const models = services.agent.listModels().map((model) => ({
    ref: `${model.provider}/${model.id}`,
    id: model.id.toLowerCase(),
    name: model.name.toLowerCase(),
    provider: model.provider.toLowerCase(),
    available: model.available,
  }));
  const tiers = [
    models.filter((model) => model.ref.toLowerCase() === wanted),
    models.filter((model) => model.id === wanted),
    models.filter((model) => model.name === wanted),
  ];
  for (const tier of tiers) {
    if (tier.length === 1) return pick(tier[0]);
    if (tier.length > 1) return undefined;
  }
  return pick(models.find((model) => model.provider === wanted));
}

function pick(model: { ref: string; available: boolean } | undefined) {
  return model ? { ref: model.ref, available: model.available } : undefined;
}
