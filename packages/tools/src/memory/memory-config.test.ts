import { describe, expect, it } from "vitest";
import {
  MemorySearchConfigSchema,
  mergeMemorySearchConfig,
  resolveMemorySearchSettings,
} from "./memory-config.js";

const resolve = (config: unknown, env: NodeJS.ProcessEnv = {}) =>
  resolveMemorySearchSettings(MemorySearchConfigSchema.parse(config), env);

describe("memorySearch config", () => {
  it("parses OpenClaw's keys and keeps keys it does not know", () => {
    const parsed = MemorySearchConfigSchema.parse({
      enabled: true,
      provider: "openai",
      model: "text-embedding-3-small",
      remote: { baseUrl: "https://api.example.com/v1/", apiKey: "k", headers: { "x-team": "a" } },
      query: { maxResults: 8, minScore: 0.2, hybrid: { vectorWeight: 0.6, textWeight: 0.4 } },
      cache: { enabled: true },
    });
    expect(parsed.cache).toEqual({ enabled: true });
    expect(() => MemorySearchConfigSchema.parse({ query: { minScore: 2 } })).toThrow();
    expect(() => MemorySearchConfigSchema.parse({ query: { maxResults: 500 } })).toThrow();
  });

  it("merges an agent's memorySearch over the defaults, nested objects key by key", () => {
    expect(
      mergeMemorySearchConfig(
        { provider: "openai", remote: { apiKey: "a", baseUrl: "https://x/v1" }, query: { maxResults: 4 } },
        { remote: { baseUrl: "https://y/v1" }, query: { minScore: 0.1 } },
      ),
    ).toEqual({
      provider: "openai",
      remote: { apiKey: "a", baseUrl: "https://y/v1" },
      query: { maxResults: 4, minScore: 0.1 },
    });
    expect(mergeMemorySearchConfig(undefined, { enabled: false })).toEqual({ enabled: false });
  });

  it("searches keywords only unless embeddings are configured", () => {
    expect(resolve({}, { OPENAI_API_KEY: "sk" })).toMatchObject({
      enabled: true,
      provider: "none",
      maxResults: 6,
      minScore: 0.35,
      notes: [],
    });
    expect(resolve({ provider: "auto" }, { OPENAI_API_KEY: "sk" }).embeddings).toBeUndefined();
    expect(resolve({ provider: "none" }).embeddings).toBeUndefined();
  });

  it("uses OpenAI with the key from the config or OPENAI_API_KEY", () => {
    expect(resolve({ provider: "openai" }, { OPENAI_API_KEY: "sk-env" }).embeddings).toEqual({
      provider: "openai",
      baseUrl: "https://api.openai.com/v1",
      apiKey: "sk-env",
      model: "text-embedding-3-small",
      headers: {},
    });
    const noKey = resolve({ provider: "openai" });
    expect(noKey.embeddings).toBeUndefined();
    expect(noKey.notes.join(" ")).toContain("OPENAI_API_KEY");
  });

  it("needs a base URL and a model for openai-compatible, and passes input types", () => {
    expect(resolve({ provider: "openai-compatible", model: "m" }).notes.join(" ")).toContain(
      "remote.baseUrl",
    );
    expect(
      resolve({ provider: "openai-compatible", remote: { baseUrl: "http://h/v1" } }).notes.join(" "),
    ).toContain("needs a model");
    expect(
      resolve({
        provider: "openai-compatible",
        model: "m",
        remote: { baseUrl: "http://127.0.0.1:8080/v1/" },
        inputType: "text",
        queryInputType: "query",
      }).embeddings,
    ).toEqual({
      provider: "openai-compatible",
      baseUrl: "http://127.0.0.1:8080/v1",
      model: "m",
      headers: {},
      queryInputType: "query",
      documentInputType: "text",
    });
    expect(resolve({ remote: { baseUrl: "ftp://h" }, model: "m" }).notes.join(" ")).toContain("http(s)");
  });

  it("normalises hybrid weights and can turn vectors off", () => {
    const weights = resolve({ query: { hybrid: { vectorWeight: 0.3, textWeight: 0.3 } } });
    expect([weights.vectorWeight, weights.textWeight]).toEqual([0.5, 0.5]);
    const off = resolve({
      provider: "openai",
      remote: { apiKey: "k" },
      query: { hybrid: { enabled: false } },
    });
    expect(off.embeddings).toBeUndefined();
  });
});
