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
