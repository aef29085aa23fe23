import {
  type FakeSearchServer,
  startFakeBraveSearch,
  startFakeSearxng,
  startFakeTavilySearch,
  startFakeWebSite,
} from "@openclaw/testing";
import { afterEach, describe, expect, it } from "vitest";
import { toolContext } from "../fs/fs-test-workspace.js";
import { ToolError } from "../tool-error.js";
import { type WebSearchToolConfig, webSearchToolConfigFrom } from "./web-config.js";
import { createWebSearchTool, type WebSearchResult } from "./web-search-tool.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function started<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const ready = await server;
  closers.push(() => ready.close());
  return ready;
}

const context = toolContext();

function searchTool(config: WebSearchToolConfig, env: NodeJS.ProcessEnv = {}) {
  return createWebSearchTool({ config: () => config, env });
}

async function search(
  config: WebSearchToolConfig,
  args: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
) {
  return (await searchTool(config, env).execute(args, context)) as WebSearchResult;
}

async function failure(
  config: WebSearchToolConfig,
  args: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
) {
  const error = await search(config, args, env).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

function braveConfig(brave: FakeSearchServer, apiKey?: string): WebSearchToolConfig {
  return {
    search: { provider: "brave" },
    providers: { brave: { baseUrl: brave.url, ...(apiKey ? { apiKey } : {}) } },
  };
}

describe("web_search with Brave", () => {
  it("queries the Brave API and normalises its results", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "brave-secret" }));
    const result = await search(braveConfig(brave, "brave-secret"), {
      query: "openclaw gateway",
      count: 2,
      country: "de",
      language: "de",
      freshness: "week",
    });
    expect(result).toMatchObject({
      kind: "results",
      provider: "brave",
      query: "openclaw gateway",
      count: 2,
      externalContent: { untrusted: true, source: "web_search", wrapped: true, provider: "brave" },
    });
    expect(result.results[0]).toEqual({
      title: "OpenClaw — a self-hosted AI assistant gateway",
      url: "https://openclaw.ai/",
      snippet: expect.stringContaining("Run your own assistant on Telegram"),
      published: "2026-08-30T09:12:44",
      siteName: "openclaw.ai",
    });
    // Brave marks matches with <strong>; the model gets plain text.
    expect(result.results[1]?.snippet).toBe(
      "Every key of openclaw.json explained: gateway auth, channels, agents, tools and plugins, with defaults and examples.",
    );
    const [request] = brave.requests;
    expect(request?.headers["x-subscription-token"]).toBe("brave-secret");
    expect(request?.query).toMatchObject({
      q: "openclaw gateway",
      count: "2",
      country: "DE",
      search_lang: "de",
      freshness: "pw",
    });
  });

  it("takes the key from BRAVE_API_KEY and caps results at tools.web.search.maxResults", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "env-key" }));
    brave.setResults(
      Array.from({ length: 8 }, (_, i) => ({
        title: `Result ${i}`,
        url: `https://r${i}.example/`,
        description: `n${i}`,
      })),
    );
    const config = { search: { maxResults: 3 }, providers: { brave: { baseUrl: brave.url } } };
    const result = await search(config, { query: "many" }, { BRAVE_API_KEY: "env-key" });
    expect(result.provider).toBe("brave");
    expect(result.results.map((hit) => hit.title)).toEqual(["Result 0", "Result 1", "Result 2"]);
    expect(brave.requests[0]?.query.count).toBe("3");
  });

  it("sends a date range as Brave's custom freshness", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "k" }));
    await search(braveConfig(brave, "k"), {
      query: "q",
      date_after: "2024-01-01",
      date_before: "2024-06-30",
    });
    expect(brave.requests[0]?.query.freshness).toBe("2024-01-01to2024-06-30");
    const onlyBefore = await failure(braveConfig(brave, "k"), { query: "q", date_before: "2024-06-30" });
    expect(onlyBefore.code).toBe("INVALID_ARGUMENTS");
  });

  it("names the config key and the env var when the key is missing", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "k" }));
    const error = await failure(braveConfig(brave), { query: "q" });
    expect(error.code).toBe("NOT_CONFIGURED");
    expect(error.message).toContain("plugins.entries.brave.config.webSearch.apiKey");
    expect(error.message).toContain("BRAVE_API_KEY");
    expect(brave.requests).toHaveLength(0);
  });

  it("reports a rejected key with Brave's words and status, never the key", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "right-key" }));
    const error = await failure(braveConfig(brave, "wrong-key-123"), { query: "q" });
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.message).toContain("HTTP 422");
    expect(error.message).toContain("SUBSCRIPTION_TOKEN_INVALID");
    expect(error.message).toContain("BRAVE_API_KEY");
    expect(error.message).not.toContain("wrong-key-123");
  });

  it("reports rate limiting", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "k" }));
    brave.failNext({ status: 429 });
    const error = await failure(braveConfig(brave, "k"), { query: "q" });
    expect(error.message).toMatch(/HTTP 429.*rate limited/);
  });

  it("refuses parameters Brave does not support", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "k" }));
    const error = await failure(braveConfig(brave, "k"), { query: "q", domain_filter: ["-reddit.com"] });
    expect(error.code).toBe("INVALID_ARGUMENTS");
    expect(error.message).toContain("domain_filter (Perplexity only)");
    expect(brave.requests).toHaveLength(0);
  });

  it("reads the legacy tools.web.search.apiKey and an env SecretRef", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "from-ref" }));
    const legacy = await search(
      { search: { provider: "brave", apiKey: "from-ref", brave: { baseUrl: brave.url } } },
      { query: "q" },
    );
    expect(legacy.count).toBeGreaterThan(0);
    const viaRef = await search(
      {
        search: { provider: "brave" },
        providers: { brave: { baseUrl: brave.url, apiKey: { source: "env", id: "MY_BRAVE" } } },
      },
      { query: "q" },
      { MY_BRAVE: "from-ref" },
    );
    expect(viaRef.count).toBeGreaterThan(0);
  });
});

describe("web_search with SearXNG", () => {
  it("queries <baseUrl>/search?format=json and normalises the results", async () => {
    const searxng = await started(startFakeSearxng());
    const config = webSearchToolConfigFrom({
      tools: { web: { search: { provider: "searxng" } } },
      plugins: { entries: { searxng: { config: { webSearch: { baseUrl: searxng.url, language: "en" } } } } },
    });
    const result = await search(config, { query: "openclaw gateway", count: 2, freshness: "month" });
    expect(result.provider).toBe("searxng");
    expect(result.results).toEqual([
      expect.objectContaining({
        title: "OpenClaw — a self-hosted AI assistant gateway",
        url: "https://openclaw.ai/",
        siteName: "openclaw.ai",
      }),
      expect.objectContaining({
        url: "https://github.com/openclaw/openclaw",
        published: "2026-09-05T00:00:00",
      }),
    ]);
    expect(searxng.requests[0]?.query).toMatchObject({
      q: "openclaw gateway",
      format: "json",
      categories: "general",
      language: "en",
      time_range: "month",
    });
  });

  it("retries a narrow category that found nothing with general", async () => {
    const searxng = await started(startFakeSearxng());
    searxng.setResults([]);
    const config = { search: { provider: "searxng" }, providers: { searxng: { baseUrl: searxng.url } } };
    const result = await search(config, { query: "rare", categories: "science" });
    expect(result.count).toBe(0);
    expect(searxng.requests.map((request) => request.query.categories)).toEqual(["science", "general"]);
  });

  it("is picked from SEARXNG_BASE_URL and needs a base URL", async () => {
    const searxng = await started(startFakeSearxng());
    const result = await search({}, { query: "openclaw" }, { SEARXNG_BASE_URL: searxng.url });
    expect(result.provider).toBe("searxng");
    const error = await failure({ search: { provider: "searxng" } }, { query: "q" });
    expect(error.code).toBe("NOT_CONFIGURED");
    expect(error.message).toContain("plugins.entries.searxng.config.webSearch.baseUrl");
    expect(error.message).toContain("SEARXNG_BASE_URL");
  });

  it("refuses a plain-http base URL on a public host", async () => {
    const config = {
      search: { provider: "searxng" },
      providers: { searxng: { baseUrl: "http://93.184.215.14:8888" } },
    };
    const error = await failure(config, { query: "q" });
    expect(error.code).toBe("NOT_CONFIGURED");
    expect(error.message).toContain("use https://");
  });

  it("refuses Brave-only parameters", async () => {
    const searxng = await started(startFakeSearxng());
    const config = { search: { provider: "searxng" }, providers: { searxng: { baseUrl: searxng.url } } };
    const error = await failure(config, { query: "q", ui_lang: "en-US", country: "US" });
    expect(error.message).toContain("country, ui_lang (Brave only)");
  });

  it("stops a search that takes longer than tools.web.search.timeoutSeconds", async () => {
    const slow = await started(
      startFakeWebSite({ "/search": { stall: true, headers: { "content-type": "application/json" } } }),
    );
    const config = {
      search: { provider: "searxng", timeoutSeconds: 0.3 },
      providers: { searxng: { baseUrl: slow.url } },
    };
    const error = await failure(config, { query: "q" });
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toContain("tools.web.search.timeoutSeconds");
  });
});

describe("web_search with Tavily", () => {
  it("posts the query with the bearer key", async () => {
    const tavily = await started(startFakeTavilySearch({ apiKey: "tvly-secret" }));
    const config = { search: { provider: "tavily" }, providers: { tavily: { baseUrl: tavily.url } } };
    const result = await search(
      config,
      { query: "openclaw gateway", count: 1 },
      { TAVILY_API_KEY: "tvly-secret" },
    );
    expect(result.results).toEqual([
      {
        title: "OpenClaw — a self-hosted AI assistant gateway",
        url: "https://openclaw.ai/",
        snippet: expect.any(String),
      },
    ]);
    expect(tavily.requests[0]?.body).toMatchObject({ query: "openclaw gateway", max_results: 1 });
    expect(tavily.requests[0]?.headers.authorization).toBe("Bearer tvly-secret");
  });
});

describe("web_search provider selection", () => {
  it("explains how to configure a provider when none is", async () => {
    const error = await failure({}, { query: "q" });
    expect(error.code).toBe("NOT_CONFIGURED");
    expect(error.message).toContain("tools.web.search.provider");
    expect(error.message).toContain("BRAVE_API_KEY");
  });

  it("refuses a provider this gateway does not have", async () => {
    const error = await failure({ search: { provider: "perplexity" } }, { query: "q" });
    expect(error.message).toContain('"perplexity"');
    expect(error.message).toContain("brave, tavily, searxng");
  });

  it("is off when tools.web.search.enabled is false", async () => {
    expect((await failure({ search: { enabled: false } }, { query: "q" })).code).toBe("UNAVAILABLE");
  });

  it("hands the model its results inside an untrusted-content envelope", async () => {
    const brave = await started(startFakeBraveSearch({ apiKey: "k" }));
    const tool = searchTool(braveConfig(brave, "k"));
    const result = await tool.execute({ query: "q" }, context);
    const output = tool.toModelOutput?.(result);
    expect(output?.type).toBe("text");
    const text = output?.type === "text" ? output.value : "";
    expect(text).toMatch(/^<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]{16}">>>\nSource: Web Search\n---\n\{/);
    expect(text).toContain('"url":"https://openclaw.ai/"');
  });
});
