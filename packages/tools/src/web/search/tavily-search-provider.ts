import { ToolError } from "../../tool-error.js";
import { assertSecureEndpoint, requestProviderJson } from "./provider-http.js";
import {
  endpointUrl,
  hitsFrom,
  resolveSecretInput,
  stringSetting,
  type WebSearchProvider,
  type WebSearchProviderDefinition,
  type WebSearchProviderSetup,
} from "./web-search-provider.js";

const DEFAULT_BASE_URL = "https://api.tavily.com";
const KEY_PATH = "plugins.entries.tavily.config.webSearch.apiKey";
const BASE_URL_PATH = "plugins.entries.tavily.config.webSearch.baseUrl";

function apiKeyOf(setup: WebSearchProviderSetup): string | undefined {
  return (
    resolveSecretInput(setup.settings.apiKey, KEY_PATH, setup.env) ??
    (setup.env.TAVILY_API_KEY?.trim() || undefined)
  );
}

function createTavilyProvider(setup: WebSearchProviderSetup): WebSearchProvider {
  const apiKey = apiKeyOf(setup);
  if (!apiKey) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `web_search uses Tavily, which needs an API key: set ${KEY_PATH} or the TAVILY_API_KEY environment variable`,
    );
  }
  const baseUrl =
    stringSetting(setup.settings, "baseUrl") ?? (setup.env.TAVILY_BASE_URL?.trim() || DEFAULT_BASE_URL);
  const endpoint = endpointUrl(baseUrl, "/search", BASE_URL_PATH);
  return {
    id: "tavily",
    // Through web_search Tavily takes the query and a count, as in OpenClaw.
    supportedFilters: [],
    async search(query, opts, signal) {
      await assertSecureEndpoint(endpoint, BASE_URL_PATH);
      const json = (await requestProviderJson({
        label: "Tavily",
        url: endpoint,
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}` },
        body: {
          query,
          max_results: opts.count,
          search_depth: "basic",
          topic: "general",
          include_answer: false,
        },
        secrets: [apiKey],
        credentialHint: `the API key comes from ${KEY_PATH} or TAVILY_API_KEY`,
        signal,
      })) as { results?: unknown };
      return hitsFrom(json.results, (result) => ({
        snippet: result.content,
        published: result.published_date,
      }));
    },
  };
}

/** Tavily Search API (`POST /search`, bearer key), key from config or TAVILY_API_KEY. */
export const tavilySearchProvider: WebSearchProviderDefinition = {
  id: "tavily",
  autoDetectOrder: 70,
  isReady: (setup) => apiKeyOf(setup) !== undefined,
  create: createTavilyProvider,
};
