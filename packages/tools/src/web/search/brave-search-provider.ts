import { ToolError } from "../../tool-error.js";
import { assertSecureEndpoint, requestProviderJson } from "./provider-http.js";
import {
  endpointUrl,
  hitsFrom,
  resolveSecretInput,
  stringSetting,
  type WebSearchFilter,
  type WebSearchOptions,
  type WebSearchProvider,
  type WebSearchProviderDefinition,
  type WebSearchProviderSetup,
} from "./web-search-provider.js";

const DEFAULT_BASE_URL = "https://api.search.brave.com";
const KEY_PATH = "plugins.entries.brave.config.webSearch.apiKey";
const BASE_URL_PATH = "plugins.entries.brave.config.webSearch.baseUrl";
const FRESHNESS = { day: "pd", week: "pw", month: "pm", year: "py" } as const;
const BRAVE_FILTERS: readonly WebSearchFilter[] = [
  "country",
  "language",
  "freshness",
  "date_after",
  "date_before",
  "search_lang",
  "ui_lang",
];

function apiKeyOf(setup: WebSearchProviderSetup): string | undefined {
  return (
    resolveSecretInput(setup.settings.apiKey, KEY_PATH, setup.env) ??
    resolveSecretInput(setup.search.apiKey, "tools.web.search.apiKey", setup.env) ??
    (setup.env.BRAVE_API_KEY?.trim() || undefined)
  );
}

/** Brave's `freshness`: a named window, or "<from>to<to>" for a date range (both ends required). */
function freshnessOf(opts: WebSearchOptions): string | undefined {
  if (opts.date_before && !opts.date_after) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      "Brave needs date_after together with date_before: add date_after",
    );
  }
  if (opts.date_after) {
    if (opts.freshness) {
      throw new ToolError("INVALID_ARGUMENTS", "use either freshness or date_after/date_before, not both");
    }
    return `${opts.date_after}to${opts.date_before ?? new Date().toISOString().slice(0, 10)}`;
  }
  return opts.freshness ? FRESHNESS[opts.freshness] : undefined;
}

function createBraveProvider(setup: WebSearchProviderSetup): WebSearchProvider {
  const apiKey = apiKeyOf(setup);
  if (!apiKey) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `web_search uses Brave Search, which needs an API key: set ${KEY_PATH} or the BRAVE_API_KEY environment variable`,
    );
  }
  if (setup.settings.mode === "llm-context") {
    throw new ToolError(
      "NOT_CONFIGURED",
      `plugins.entries.brave.config.webSearch.mode "llm-context" is not supported by this gateway yet: use "web"`,
    );
  }
  const baseUrl = stringSetting(setup.settings, "baseUrl") ?? DEFAULT_BASE_URL;
  const endpoint = endpointUrl(baseUrl, "/res/v1/web/search", BASE_URL_PATH);
  return {
    id: "brave",
    supportedFilters: BRAVE_FILTERS,
    async search(query, opts, signal) {
      await assertSecureEndpoint(endpoint, BASE_URL_PATH);
      const url = new URL(endpoint);
      const params: Record<string, string | undefined> = {
        q: query,
        count: String(opts.count),
        country: opts.country?.toUpperCase(),
        search_lang: opts.search_lang ?? opts.language,
        ui_lang: opts.ui_lang,
        freshness: freshnessOf(opts),
        text_decorations: "false",
      };
      for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
      const json = (await requestProviderJson({
        label: "Brave Search",
        url,
        headers: { "x-subscription-token": apiKey },
        secrets: [apiKey],
        credentialHint: `the API key comes from ${KEY_PATH} or BRAVE_API_KEY`,
        signal,
      })) as { web?: { results?: unknown } };
      return hitsFrom(json.web?.results, (result) => {
        const profile = result.profile as { name?: unknown } | undefined;
        const metaUrl = result.meta_url as { hostname?: unknown } | undefined;
        return {
          snippet: result.description,
          published: result.page_age,
          siteName: profile?.name ?? metaUrl?.hostname,
        };
      });
    },
  };
}

/** Brave Search API (`GET /res/v1/web/search`, `X-Subscription-Token`), key from config or BRAVE_API_KEY. */
export const braveSearchProvider: WebSearchProviderDefinition = {
  id: "brave",
  autoDetectOrder: 10,
  isReady: (setup) => apiKeyOf(setup) !== undefined,
  create: createBraveProvider,
};
