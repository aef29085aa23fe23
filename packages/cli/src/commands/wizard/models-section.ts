import { type ConfigDraft, isObject } from "./config-draft.js";
import { WizardError } from "./wizard-error.js";
import type { WizardFlags } from "./wizard-flags.js";
import type { Prompter } from "./wizard-prompter.js";
import { checkFlag, parseChoice, type WizardSection } from "./wizard-section.js";

const KINDS = ["openai", "anthropic", "openai-compatible"] as const;
type ProviderKind = (typeof KINDS)[number];
const COMPATIBLE_APIS = ["openai-completions", "openai-responses"] as const;

/** What each kind of provider is written as; an OpenAI-compatible server brings its own id and URL. */
const KNOWN: Record<ProviderKind, { id: string; api: string; baseUrl: string; model: string; env?: string }> =
  {
    openai: {
      id: "openai",
      api: "openai-responses",
      baseUrl: "https://api.openai.com/v1",
      model: "gpt-4o-mini",
      env: "OPENAI_API_KEY",
    },
    anthropic: {
      id: "anthropic",
      api: "anthropic-messages",
      baseUrl: "https://api.anthropic.com/v1",
      model: "claude-sonnet-4-5",
      env: "ANTHROPIC_API_KEY",
    },
    "openai-compatible": {
      id: "local",
      api: "openai-completions",
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "llama3.2",
    },
  };

export interface ProviderChoice {
  kind: ProviderKind;
  id: string;
  api: string;
  baseUrl: string;
  /** undefined keeps the configured key (or leaves the provider to the environment variable). */
  apiKey?: string;
  model: string;
}

export function validateUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? undefined : "expected an http(s) URL";
  } catch {
    return "expected a URL such as http://127.0.0.1:11434/v1";
  }
}

export function validateProviderId(value: string): string | undefined {
  return /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(value.trim())
    ? undefined
    : 'expected letters, digits, "-" or "_", such as "ollama"';
}

function validateModel(value: string): string | undefined {
  return value.trim() === "" ? "enter a model id, such as gpt-4o-mini" : undefined;
}

/** The configured default model as "<provider>/<model>", split. */
function currentPrimary(draft: ConfigDraft): { provider: string; model: string } | undefined {
  const model = draft.get("agents.defaults.model");
  const primary = isObject(model) ? model.primary : model;
  if (typeof primary !== "string" || !primary.includes("/")) return undefined;
  const slash = primary.indexOf("/");
  return { provider: primary.slice(0, slash), model: primary.slice(slash + 1) };
}

function currentKind(draft: ConfigDraft): ProviderKind | undefined {
  const primary = currentPrimary(draft);
  if (primary === undefined) return undefined;
  if (primary.provider === "openai" || primary.provider === "anthropic") return primary.provider;
  return draft.get(`models.providers.${primary.provider}`) === undefined ? undefined : "openai-compatible";
}

/**
 * The model id as the provider knows it: `ollama/llama3.2` given for provider `ollama` is `llama3.2`, the id sent
 * upstream; the agents' default is then written `<provider>/<model>` exactly once.
 */
export function providerModelId(providerId: string, model: string): string {
  const trimmed = model.trim();
  const prefix = `${providerId}/`;
  return trimmed.startsWith(prefix) && trimmed.length > prefix.length
    ? trimmed.slice(prefix.length)
    : trimmed;
}

/** Writes the provider (keeping its other keys and models) and makes the model the agents' default. */
export function storeProvider(draft: ConfigDraft, given: ProviderChoice): void {
  const choice = { ...given, model: providerModelId(given.id, given.model) };
  const path = `models.providers.${choice.id}`;
  const existing = draft.get(path);
  const provider: Record<string, unknown> = isObject(existing) ? { ...existing } : {};
  provider.baseUrl = choice.baseUrl;
  provider.api = choice.api;
  if (choice.apiKey !== undefined) provider.apiKey = choice.apiKey;
  const models = Array.isArray(provider.models) ? [...provider.models] : [];
  if (!models.some((entry) => isObject(entry) && entry.id === choice.model))
    models.push({ id: choice.model });
  provider.models = models;
  draft.set(path, provider);
  const selection = draft.get("agents.defaults.model");
  if (isObject(selection)) draft.set("agents.defaults.model.primary", `${choice.id}/${choice.model}`);
  else draft.set("agents.defaults.model", { primary: `${choice.id}/${choice.model}` });
}

async function askApiKey(draft: ConfigDraft, prompter: Prompter, kind: ProviderKind, id: string) {
  const hasKey = draft.get(`models.providers.${id}.apiKey`) !== undefined;
  const env = KNOWN[kind].env;
  const keep = hasKey
    ? "leave empty to keep the current key"
    : env
      ? `leave empty to use ${env} from the environment`
      : "leave empty if the server needs none";
  const key = await prompter.password({ message: `API key (${keep})` });
  return key.trim() === "" ? undefined : key.trim();
}

/** `models`: one provider (OpenAI, Anthropic or any OpenAI-compatible server) and the default model. */
export const modelsSection: WizardSection = {
  id: "models",
  title: "Models: provider, API key and default model",
  flags: ["provider", "providerId", "baseUrl", "api", "apiKey", "model"],

  async ask(draft, prompter) {
    const primary = currentPrimary(draft);
    const kind = await prompter.select<ProviderKind>({
      message: "Which model provider?",
      initialValue: currentKind(draft) ?? "openai",
      options: [
        { value: "openai", label: "OpenAI" },
        { value: "anthropic", label: "Anthropic" },
        {
          value: "openai-compatible",
          label: "OpenAI-compatible server",
          hint: "Ollama, vLLM, LM Studio, llama.cpp",
        },
      ],
    });
    const known = KNOWN[kind];
    let { id, api, baseUrl } = known;
    if (kind === "openai-compatible") {
      const previous = primary && currentKind(draft) === kind ? primary.provider : known.id;
      id = (
        await prompter.text({
          message: "A short name for this provider (used as <name>/<model>)",
          initialValue: previous,
          validate: validateProviderId,
        })
      ).trim();
      baseUrl = (
        await prompter.text({
          message: "Base URL of the server (ending in /v1)",
          initialValue: draft.getString(`models.providers.${id}.baseUrl`) ?? known.baseUrl,
          validate: validateUrl,
        })
      ).trim();
      const currentApi = draft.getString(`models.providers.${id}.api`);
      api = await prompter.select({
        message: "Which API does it speak?",
        initialValue: currentApi === "openai-responses" ? "openai-responses" : "openai-completions",
        options: [
          { value: "openai-completions", label: "Chat Completions", hint: "what almost every server offers" },
          { value: "openai-responses", label: "Responses" },
        ],
      });
    }
    const apiKey = await askApiKey(draft, prompter, kind, id);
    const model = await prompter.text({
      message: "Default model",
      initialValue: primary?.provider === id ? primary.model : known.model,
      validate: validateModel,
    });
    storeProvider(draft, { kind, id, api, baseUrl, apiKey, model: model.trim() });
  },

  applyFlags(draft, flags: WizardFlags) {
    const kindFlag =
      flags.provider === undefined ? undefined : parseChoice("--provider", flags.provider, KINDS);
    const kind = kindFlag ?? currentKind(draft);
    if (kind === undefined) {
      throw new WizardError(
        "WIZARD_BAD_FLAG",
        "the models section needs --provider openai|anthropic|openai-compatible",
      );
    }
    const known = KNOWN[kind];
    const primary = currentPrimary(draft);
    if (kind !== "openai-compatible" && (flags.providerId ?? flags.baseUrl ?? flags.api) !== undefined) {
      throw new WizardError(
        "WIZARD_BAD_FLAG",
        "--provider-id, --base-url and --api are for --provider openai-compatible",
      );
    }
    const id =
      kind === "openai-compatible"
        ? checkFlag(
            "--provider-id",
            flags.providerId ?? (primary && kindFlag === undefined ? primary.provider : known.id),
            validateProviderId,
          ).trim()
        : known.id;
    const baseUrl = checkFlag(
      "--base-url",
      flags.baseUrl ?? draft.getString(`models.providers.${id}.baseUrl`) ?? known.baseUrl,
      validateUrl,
    ).trim();
    const api =
      flags.api === undefined
        ? (draft.getString(`models.providers.${id}.api`) ?? known.api)
        : parseChoice("--api", flags.api, COMPATIBLE_APIS);
    const model = flags.model ?? (primary?.provider === id ? primary.model : known.model);
    checkFlag("--model", model, validateModel);
    storeProvider(draft, {
      kind,
      id,
      api,
      baseUrl,
      apiKey: flags.apiKey?.trim() || undefined,
      model: model.trim(),
    });
  },
};
