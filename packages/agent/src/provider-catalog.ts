import { AgentError, NO_PROVIDER_MESSAGE } from "./agent-error.js";
import {
  type AgentRuntimeConfig,
  type ModelEntry,
  type ModelSelection,
  PROVIDER_APIS,
  type ProviderApi,
  type ProviderConfig,
} from "./config-schema.js";
import type { ModelListing, ProviderCredentials, ResolvedModelRef } from "./types.js";

export interface ResolvedProvider {
  id: string;
  /** Undefined when the configured api is one this runtime cannot speak. */
  api: ProviderApi | undefined;
  configuredApi: string;
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  models: ModelEntry[];
  /** Assumed from an environment key because no provider is configured; accepts any model id. */
  implicit: boolean;
}

export interface ModelCandidate extends ResolvedModelRef {
  provider: string;
  entry: ModelEntry | undefined;
}

const IMPLICIT_PROVIDERS = [
  {
    id: "openai",
    envKey: "OPENAI_API_KEY",
    api: "openai-responses",
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-5-mini",
  },
  {
    id: "anthropic",
    envKey: "ANTHROPIC_API_KEY",
    api: "anthropic-messages",
    baseUrl: "https://api.anthropic.com/v1",
    defaultModel: "claude-sonnet-4-5",
  },
] as const;

const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** `<PROVIDER>_API_KEY`, OpenClaw's per-provider variable (`openrouter` -> `OPENROUTER_API_KEY`). */
export function providerEnvKeyName(providerId: string): string {
  return `${providerId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_API_KEY`;
}

/**
 * OpenClaw's per-provider variables, first found: `OPENCLAW_LIVE_<PROVIDER>_KEY` (pins one key), the first of
 * `<PROVIDER>_API_KEYS` (comma, space or semicolon separated), then `<PROVIDER>_API_KEY`. Rotating to the next listed
 * key on a rate limit is not done here.
 */
export function providerEnvKey(providerId: string, env: NodeJS.ProcessEnv): string | undefined {
  const single = providerEnvKeyName(providerId);
  const stem = single.slice(0, -"_API_KEY".length);
  const pinned = nonEmpty(env[`OPENCLAW_LIVE_${stem}_KEY`]);
  if (pinned !== undefined) return pinned;
  const listed = env[`${single}S`]?.split(/[\s,;]+/).find((key) => key !== "");
  return listed ?? nonEmpty(env[single]);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * A provider's key, first found: the configured `apiKey` (literal, `${ENV}` reference or SecretRef), the agent's
 * auth profiles (`auth.order`), `<PROVIDER>_API_KEY`, then `ANTHROPIC_API_KEY` / `OPENAI_API_KEY` by the API.
 */
function resolveApiKey(
  providerId: string,
  configured: ProviderConfig["apiKey"],
  api: string,
  lookup: KeyLookup,
): string | undefined {
  const { env, credentials, agentId } = lookup;
  if (typeof configured === "object") return nonEmpty(credentials?.resolveRef(configured));
  if (configured !== undefined && configured !== "") {
    const reference = ENV_REFERENCE.exec(configured);
    if (!reference?.[1]) return configured;
    return nonEmpty(env[reference[1]]);
  }
  const fromProfile = nonEmpty(credentials?.profileKey(providerId, agentId ?? "main"));
  if (fromProfile !== undefined) return fromProfile;
  const fromProviderEnv = providerEnvKey(providerId, env);
  if (fromProviderEnv !== undefined) return fromProviderEnv;
  return nonEmpty(env[api === "anthropic-messages" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"]);
}

/** Where keys are looked up besides the config: the environment, the host's credentials, for which agent. */
export interface KeyLookup {
  env: NodeJS.ProcessEnv;
  credentials?: ProviderCredentials | undefined;
  agentId?: string | undefined;
}

function toProviderApi(api: string): ProviderApi | undefined {
  return (PROVIDER_APIS as readonly string[]).includes(api) ? (api as ProviderApi) : undefined;
}

export function resolveProviders(
  config: AgentRuntimeConfig,
  lookup: KeyLookup,
): Map<string, ResolvedProvider> {
  const env = lookup.env;
  const providers = new Map<string, ResolvedProvider>();
  for (const [id, provider] of Object.entries(config.models?.providers ?? {})) {
    // OpenClaw's rule: a provider with a baseUrl and no api speaks Chat Completions.
    const configuredApi = provider.api ?? "openai-completions";
    const implicitBase = IMPLICIT_PROVIDERS.find((p) => p.id === id)?.baseUrl;
    const baseUrl = provider.baseUrl ?? implicitBase;
    if (baseUrl === undefined) continue;
    providers.set(id, {
      id,
      api: toProviderApi(configuredApi),
      configuredApi,
      baseUrl,
      apiKey: resolveApiKey(id, provider.apiKey, configuredApi, lookup),
      headers: provider.headers ?? {},
      models: provider.models ?? [],
      implicit: false,
    });
  }
  if (providers.size > 0) return providers;
  for (const implicit of IMPLICIT_PROVIDERS) {
    const apiKey = env[implicit.envKey];
    if (apiKey === undefined || apiKey === "") continue;
    providers.set(implicit.id, {
      id: implicit.id,
      api: implicit.api,
      configuredApi: implicit.api,
      baseUrl: implicit.baseUrl,
      apiKey,
      headers: {},
      models: [{ id: implicit.defaultModel }],
      implicit: true,
    });
  }
  return providers;
}

/** Chat Completions servers are usually local (Ollama, vLLM, llama.cpp) and need no key; the hosted APIs do. */
export function isMissingAuth(provider: ResolvedProvider): boolean {
  return provider.api !== "openai-completions" && provider.apiKey === undefined;
}

export function listModels(providers: Map<string, ResolvedProvider>): ModelListing[] {
  const listings: ModelListing[] = [];
  for (const provider of providers.values()) {
    const missingAuth = isMissingAuth(provider);
    for (const model of provider.models) {
      const listing: ModelListing = {
        id: model.id,
        name: model.name ?? model.id,
        provider: provider.id,
        available: provider.api !== undefined && !missingAuth,
      };
      if (model.contextWindow !== undefined) listing.contextWindow = model.contextWindow;
      if (missingAuth) listing.unavailableReason = "missing-auth";
      listings.push(listing);
    }
  }
  return listings;
}

function selectionParts(selection: ModelSelection | undefined): { primary?: string; fallbacks?: string[] } {
  if (selection === undefined) return {};
  if (typeof selection === "string") return { primary: selection };
  const parts: { primary?: string; fallbacks?: string[] } = {};
  if (selection.primary !== undefined) parts.primary = selection.primary;
  if (selection.fallbacks !== undefined) parts.fallbacks = selection.fallbacks;
  return parts;
}

function agentSelection(config: AgentRuntimeConfig, agentId: string | undefined) {
  const agent = config.agents?.list?.find((entry) => entry.id === (agentId ?? "main"));
  const own = selectionParts(agent?.model);
  const defaults = selectionParts(config.agents?.defaults?.model);
  return {
    primary: own.primary ?? defaults.primary,
    fallbacks: own.fallbacks ?? defaults.fallbacks ?? [],
  };
}

function firstModelRef(providers: Map<string, ResolvedProvider>): string | undefined {
  for (const provider of providers.values()) {
    const model = provider.models[0];
    if (model) return `${provider.id}/${model.id}`;
  }
  return undefined;
}

function describeAvailable(providers: Map<string, ResolvedProvider>): string {
  const refs = [...providers.values()].flatMap((p) => p.models.map((m) => `${p.id}/${m.id}`));
  return refs.length > 0 ? refs.slice(0, 10).join(", ") : "none listed";
}

export function resolveModelRef(providers: Map<string, ResolvedProvider>, ref: string): ModelCandidate {
  const slash = ref.indexOf("/");
  if (slash <= 0) {
    // A bare model id is accepted when exactly one provider lists it.
    const owners = [...providers.values()].filter((p) => p.models.some((m) => m.id === ref));
    const owner = owners[0];
    if (owners.length === 1 && owner) return resolveModelRef(providers, `${owner.id}/${ref}`);
    throw new AgentError(
      "MODEL_NOT_FOUND",
      `model "${ref}" is ambiguous or unknown: name it as "<provider>/<model>" (configured: ${describeAvailable(providers)})`,
      { ref },
    );
  }
  const providerId = ref.slice(0, slash);
  const modelId = ref.slice(slash + 1);
  const provider = providers.get(providerId);
  if (!provider) {
    throw new AgentError(
      "MODEL_NOT_FOUND",
      `provider "${providerId}" is not configured: add it under models.providers in openclaw.json or pick one of: ${describeAvailable(providers)}`,
      { ref },
    );
  }
  const entry = provider.models.find((m) => m.id === modelId);
  // An implicit provider, or one with an empty catalog, takes any model id the server knows.
  if (!entry && provider.models.length > 0 && !provider.implicit) {
    throw new AgentError(
      "MODEL_NOT_FOUND",
      `model "${modelId}" is not listed under models.providers.${providerId}.models: add it there or pick one of: ${describeAvailable(providers)}`,
      { ref },
    );
  }
  return { provider: providerId, model: modelId, ref: `${providerId}/${modelId}`, entry };
}

/** The primary model (explicit override, the agent's, the defaults', else the first configured) and its fallbacks. */
export function resolveModelChain(
  providers: Map<string, ResolvedProvider>,
  config: AgentRuntimeConfig,
  override: string | undefined,
  agentId: string | undefined,
): ModelCandidate[] {
  if (providers.size === 0) throw new AgentError("NO_PROVIDER_CONFIGURED", NO_PROVIDER_MESSAGE);
  const selection = agentSelection(config, agentId);
  const primaryRef = override ?? selection.primary ?? firstModelRef(providers);
  if (primaryRef === undefined) {
    throw new AgentError(
      "MODEL_NOT_FOUND",
      'no model is selected: set agents.defaults.model.primary to "<provider>/<model>" or list a model under models.providers.<id>.models',
    );
  }
  const chain = [resolveModelRef(providers, primaryRef)];
  for (const fallback of selection.fallbacks) {
    try {
      const candidate = resolveModelRef(providers, fallback);
      if (!chain.some((c) => c.ref === candidate.ref)) chain.push(candidate);
    } catch {
      // Skipped rather than thrown: a mistyped fallback must not take down a working primary.
    }
  }
  return chain;
}
