import { describe, expect, it } from "vitest";
import type { AgentRuntimeConfig } from "./config-schema.js";
import { ModelsConfigSchema } from "./config-schema.js";
import {
  providerEnvKey,
  providerEnvKeyName,
  resolveModelChain,
  resolveProviders,
} from "./provider-catalog.js";

const config: AgentRuntimeConfig = {
  models: ModelsConfigSchema.parse({
    providers: {
      local: { baseUrl: "http://127.0.0.1:11434/v1", models: [{ id: "llama3" }, { id: "qwen" }] },
      claude: {
        baseUrl: "https://example.invalid/v1",
        api: "anthropic-messages",
        models: [{ id: "sonnet" }],
      },
      custom: {
        baseUrl: "https://example.invalid/v1",
        api: "openai-responses",
        apiKey: `\${CUSTOM_KEY}`,
        models: [],
      },
    },
  }),
  agents: {
    defaults: {
      model: { primary: "local/llama3", fallbacks: ["claude/sonnet", "nowhere/x", "local/llama3"] },
    },
    list: [{ id: "coder", model: "local/qwen" }],
  },
};

describe("resolveProviders", () => {
  it("defaults api to openai-completions and resolves keys from config, an env reference or the usual variables", () => {
    const providers = resolveProviders(config, {
      env: {
        ANTHROPIC_API_KEY: "ak",
        CUSTOM_KEY: "ck",
        OPENAI_API_KEY: "ok",
      },
    });
    expect(providers.get("local")).toMatchObject({ api: "openai-completions", apiKey: "ok" });
    expect(providers.get("claude")).toMatchObject({ api: "anthropic-messages", apiKey: "ak" });
    expect(providers.get("custom")).toMatchObject({ api: "openai-responses", apiKey: "ck" });
    expect(providers.has("openai")).toBe(false);
  });

  it("leaves an unresolved env reference unset rather than sending it as a key", () => {
    expect(resolveProviders(config, { env: {} }).get("custom")?.apiKey).toBeUndefined();
  });

  it("keeps a provider whose api this runtime cannot speak, marked as such", () => {
    const providers = resolveProviders(
      {
        models: {
          providers: { g: { baseUrl: "https://x.invalid", api: "google-generative-ai", models: [] } },
        },
      },
      { env: {} },
    );
    expect(providers.get("g")).toMatchObject({ api: undefined, configuredApi: "google-generative-ai" });
  });

  it("assumes anthropic from ANTHROPIC_API_KEY when nothing is configured", () => {
    const providers = resolveProviders({}, { env: { ANTHROPIC_API_KEY: "ak" } });
    expect([...providers.keys()]).toEqual(["anthropic"]);
  });
});

describe("per-provider key variables", () => {
  it("OPENCLAW_LIVE_<P>_KEY pins, then the first of <P>_API_KEYS, then <P>_API_KEY", () => {
    expect(providerEnvKeyName("open-router")).toBe("OPEN_ROUTER_API_KEY");
    expect(providerEnvKey("groq", { GROQ_API_KEY: "single" })).toBe("single");
    expect(providerEnvKey("groq", { GROQ_API_KEYS: " k1; k2,k3", GROQ_API_KEY: "single" })).toBe("k1");
    expect(providerEnvKey("groq", { OPENCLAW_LIVE_GROQ_KEY: "live", GROQ_API_KEYS: "k1" })).toBe("live");
    expect(providerEnvKey("groq", {})).toBeUndefined();
  });

  it("a configured provider without apiKey takes its own variable before OPENAI_API_KEY", () => {
    const providers = resolveProviders(
      {
        models: {
          providers: { groq: { baseUrl: "https://x.invalid", api: "openai-completions", models: [] } },
        },
      },
      { env: { GROQ_API_KEY: "gk", OPENAI_API_KEY: "ok" } },
    );
    expect(providers.get("groq")?.apiKey).toBe("gk");
  });
});

describe("resolveModelChain", () => {
  const providers = resolveProviders(config, { env: {} });

  it("uses the defaults' primary and drops broken or duplicate fallbacks", () => {
    expect(resolveModelChain(providers, config, undefined, undefined).map((c) => c.ref)).toEqual([
      "local/llama3",
      "claude/sonnet",
    ]);
  });

  it("prefers the agent's model, then an explicit override", () => {
    expect(resolveModelChain(providers, config, undefined, "coder")[0]?.ref).toBe("local/qwen");
    expect(resolveModelChain(providers, config, "claude/sonnet", "coder")[0]?.ref).toBe("claude/sonnet");
  });

  it("accepts a bare model id listed by exactly one provider, and any id on an empty catalog", () => {
    expect(resolveModelChain(providers, config, "qwen", undefined)[0]?.ref).toBe("local/qwen");
    expect(resolveModelChain(providers, config, "custom/gpt-x", undefined)[0]?.ref).toBe("custom/gpt-x");
  });

  it("names the fix when a model or provider is unknown", () => {
    expect(() => resolveModelChain(providers, config, "local/mistral", undefined)).toThrow(
      /not listed under models\.providers\.local\.models/,
    );
    expect(() => resolveModelChain(providers, config, "other/m", undefined)).toThrow(
      /provider "other" is not configured: add it under models\.providers/,
    );
  });
});
