import { ToolError } from "../../tool-error.js";
import { assertSecureEndpoint, requestProviderJson } from "./provider-http.js";
import {
  endpointUrl,
  hitsFrom,
  resolveSecretInput,
  stringSetting,
  type WebSearchHit,
  type WebSearchProvider,
  type WebSearchProviderDefinition,
  type WebSearchProviderSetup,
} from "./web-search-provider.js";

const BASE_URL_PATH = "plugins.entries.searxng.config.webSearch.baseUrl";

interface SearxngParams {
  categories: string;
  language?: string;
  timeRange?: string;
}

function baseUrlOf(setup: WebSearchProviderSetup): string | undefined {
  return (
    resolveSecretInput(setup.settings.baseUrl, BASE_URL_PATH, setup.env) ??
    (setup.env.SEARXNG_BASE_URL?.trim() || undefined)
  );
}

function createSearxngProvider(setup: WebSearchProviderSetup): WebSearchProvider {
  const baseUrl = baseUrlOf(setup);
  if (!baseUrl) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `web_search uses SearXNG, which needs the address of your instance: set ${BASE_URL_PATH} or the SEARXNG_BASE_URL environment variable`,
    );
  }
  const endpoint = endpointUrl(baseUrl, "/search", BASE_URL_PATH);
  const configuredCategories = stringSetting(setup.settings, "categories");
  const configuredLanguage = stringSetting(setup.settings, "language");

  async function query(text: string, params: SearxngParams, signal: AbortSignal): Promise<WebSearchHit[]> {
    const url = new URL(endpoint);
    url.searchParams.set("q", text);
    url.searchParams.set("format", "json");
    url.searchParams.set("categories", params.categories);
    if (params.language) url.searchParams.set("language", params.language);
    if (params.timeRange) url.searchParams.set("time_range", params.timeRange);
    const json = (await requestProviderJson({ label: "SearXNG", url, signal })) as { results?: unknown };
    return hitsFrom(json.results, (result) => ({
      snippet: result.content,
      published: result.publishedDate,
      siteName: Array.isArray(result.parsed_url) ? result.parsed_url[1] : undefined,
    }));
  }

  return {
    id: "searxng",
    supportedFilters: ["language", "freshness", "categories"],
    async search(text, opts, signal) {
      await assertSecureEndpoint(endpoint, BASE_URL_PATH);
      const params = {
        categories: opts.categories ?? configuredCategories ?? "general",
        language: opts.language ?? configuredLanguage,
        timeRange: opts.freshness,
      };
      const hits = await query(text, params, signal);
      // A narrow category (news, science) often has nothing for a query "general" would answer.
      if (hits.length > 0 || params.categories === "general") return hits.slice(0, opts.count);
      return (await query(text, { ...params, categories: "general" }, signal)).slice(0, opts.count);
    },
  };
}

/** A self-hosted SearXNG (`GET <baseUrl>/search?format=json`); no key, the instance from config or SEARXNG_BASE_URL. */
export const searxngSearchProvider: WebSearchProviderDefinition = {
  id: "searxng",
  autoDetectOrder: 200,
  isReady: (setup) => baseUrlOf(setup) !== undefined,
  create: createSearxngProvider,
};
