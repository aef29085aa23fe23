import { describe, expect, it } from "vitest";
import { WebToolsConfigSchema, webSearchToolConfigFrom } from "./web-config.js";

describe("WebToolsConfigSchema", () => {
  it("fills OpenClaw's defaults, private networks refused", () => {
    const config = WebToolsConfigSchema.parse({});
    expect(config.fetch).toMatchObject({
      enabled: true,
      maxChars: 20_000,
      maxCharsCap: 20_000,
      maxResponseBytes: 750_000,
      timeoutSeconds: 30,
      maxRedirects: 3,
      readability: true,
      ssrfPolicy: { dangerouslyAllowPrivateNetwork: false, allowedHostnames: [], blockedHostnames: [] },
    });
    expect(config.search).toMatchObject({ enabled: true, maxResults: 5, timeoutSeconds: 30 });
  });

  it("accepts the tools.web block of an OpenClaw config, keys it does not act on included", () => {
    const openclaw = {
      search: { enabled: true, provider: "Brave", maxResults: 5, timeoutSeconds: 30, cacheTtlMinutes: 15 },
      fetch: {
        provider: "firecrawl",
        cacheTtlMinutes: 15,
        userAgent: "custom-ua",
        headers: { "X-Routing-Target": "staging" },
        ssrfPolicy: { allowedHostnames: ["internal.example"], blockedHostnames: ["*.ads.example.com"] },
      },
      x_search: { enabled: false },
    };
    const config = WebToolsConfigSchema.parse(openclaw);
    expect(config.search.provider).toBe("brave");
    expect(config.fetch.ssrfPolicy.allowedHostnames).toEqual(["internal.example"]);
    expect(config.fetch).toMatchObject({ provider: "firecrawl", cacheTtlMinutes: 15 });
  });

  it("rejects values outside OpenClaw's ranges", () => {
    expect(WebToolsConfigSchema.safeParse({ search: { maxResults: 50 } }).success).toBe(false);
    expect(WebToolsConfigSchema.safeParse({ fetch: { maxChars: 10 } }).success).toBe(false);
    expect(
      WebToolsConfigSchema.safeParse({ fetch: { ssrfPolicy: { dangerouslyAllowPrivateNetwork: "yes" } } })
        .success,
    ).toBe(false);
  });
});

describe("webSearchToolConfigFrom", () => {
  it("picks tools.web.search and every plugin entry's webSearch block", () => {
    const picked = webSearchToolConfigFrom({
      tools: { web: { search: { provider: "brave" } } },
      plugins: {
        entries: {
          brave: { enabled: true, config: { webSearch: { apiKey: "k" } } },
          "some-channel": { enabled: true },
        },
      },
    });
    expect(picked).toEqual({ search: { provider: "brave" }, providers: { brave: { apiKey: "k" } } });
    expect(webSearchToolConfigFrom(undefined)).toEqual({ search: undefined, providers: {} });
  });
});
