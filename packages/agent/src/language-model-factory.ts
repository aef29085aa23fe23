import type { LanguageModel } from "ai";
import { AgentError } from "./agent-error.js";
import type { ResolvedProvider } from "./provider-catalog.js";

type ModelFactory = (modelId: string) => LanguageModel;

/**
 * Building a model object compiles its response schemas; doing that once per model instead of once per turn takes a
 * measurable share off every chat turn (bench/chat-overhead.mjs). Model objects are stateless between calls.
 */
function memoizeModels(create: ModelFactory): ModelFactory {
  const models = new Map<string, LanguageModel>();
  return (modelId) => {
    let model = models.get(modelId);
    if (!model) {
      model = create(modelId);
      models.set(modelId, model);
    }
    return model;
  };
}

/**
 * Provider packages are imported on first use so that a gateway which never runs an agent (or uses one api only)
 * does not load the others at start.
 */
async function createFactory(provider: ResolvedProvider): Promise<ModelFactory> {
  const settings = {
    baseURL: provider.baseUrl,
    headers: provider.headers,
    ...(provider.apiKey === undefined ? {} : { apiKey: provider.apiKey }),
  };
  switch (provider.api) {
    case "openai-completions": {
      const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
      const compatible = createOpenAICompatible({ ...settings, name: provider.id, includeUsage: true });
      return memoizeModels((modelId) => compatible.chatModel(modelId));
    }
    case "openai-responses": {
      const { createOpenAI } = await import("@ai-sdk/openai");
      const openai = createOpenAI({ ...settings, name: provider.id });
      return memoizeModels((modelId) => openai.responses(modelId));
    }
    case "anthropic-messages": {
      const { createAnthropic } = await import("@ai-sdk/anthropic");
      const anthropic = createAnthropic({ ...settings, name: provider.id });
      return memoizeModels((modelId) => anthropic.languageModel(modelId));
    }
    default:
      throw new AgentError(
        "PROVIDER_ERROR",
        `models.providers.${provider.id}.api "${provider.configuredApi}" is not supported: use openai-completions, openai-responses or anthropic-messages`,
        { provider: provider.id },
      );
  }
}

/** Caches one provider client per distinct provider config, so a config reload with new settings takes effect. */
export function createLanguageModelFactory() {
  const factories = new Map<string, Promise<ModelFactory>>();
  return async (provider: ResolvedProvider, modelId: string): Promise<LanguageModel> => {
    const key = JSON.stringify([
      provider.id,
      provider.api,
      provider.baseUrl,
      provider.apiKey,
      provider.headers,
    ]);
    let factory = factories.get(key);
    if (!factory) {
      // Each config edit makes a new key; old clients are only garbage, so a small bound is enough.
      if (factories.size >= 32) factories.clear();
      factory = createFactory(provider);
      factories.set(key, factory);
      factory.catch(() => factories.delete(key));
    }
    return (await factory)(modelId);
  };
}
