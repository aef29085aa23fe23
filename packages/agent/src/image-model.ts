import { modelSeesImages } from "./attachment-content.js";
import type { AgentRuntimeConfig, ModelSelection } from "./config-schema.js";
import { type ModelCandidate, type ResolvedProvider, resolveModelRef } from "./provider-catalog.js";

/** The agent's `imageModel`, else `agents.defaults.imageModel`, as refs in order (primary, then fallbacks). */
function imageModelRefs(config: AgentRuntimeConfig, agentId: string): string[] {
  const agent = config.agents?.list?.find((entry) => entry.id === agentId);
  const selection: ModelSelection | undefined = agent?.imageModel ?? config.agents?.defaults?.imageModel;
  if (selection === undefined) return [];
  if (typeof selection === "string") return [selection];
  return [selection.primary, ...(selection.fallbacks ?? [])].filter(
    (ref): ref is string => ref !== undefined,
  );
}

/**
 * OpenClaw's `imageModel` routing: a turn with images whose selected model cannot see them goes to the image model
 * (and its fallbacks) first; the agent's own chain follows, so a failing image model still gets an answer with
 * notes in place of the images. A chain whose first model sees images is kept as it is.
 */
export function withImageModel(
  chain: ModelCandidate[],
  providers: Map<string, ResolvedProvider>,
  config: AgentRuntimeConfig,
  agentId: string,
  hasImages: boolean,
): ModelCandidate[] {
  const first = chain[0];
  if (!hasImages || first === undefined || modelSeesImages(first.entry, first.model)) return chain;
  const image: ModelCandidate[] = [];
  for (const ref of imageModelRefs(config, agentId)) {
    try {
      const candidate = resolveModelRef(providers, ref);
      if (!image.some((c) => c.ref === candidate.ref)) image.push(candidate);
    } catch {
      // A mistyped image model must not take down the agent's own model.
    }
  }
  return [...image, ...chain.filter((candidate) => !image.some((c) => c.ref === candidate.ref))];
}
