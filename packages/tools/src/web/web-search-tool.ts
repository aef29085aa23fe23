import type { AgentTool, ToolContext, ToolModelOutput } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import { ToolError } from "../tool-error.js";
import { braveSearchProvider } from "./search/brave-search-provider.js";
import { searxngSearchProvider } from "./search/searxng-search-provider.js";
import { tavilySearchProvider } from "./search/tavily-search-provider.js";
import type {
  WebSearchFilter,
  WebSearchHit,
  WebSearchProvider,
  WebSearchProviderDefinition,
  WebSearchProviderSetup,
} from "./search/web-search-provider.js";
import { externalContentMarker, sanitizeUntrustedText, wrapUntrustedText } from "./untrusted-content.js";
import { WebSearchConfigSchema, type WebSearchSettings, type WebSearchToolConfig } from "./web-config.js";

const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected a date as YYYY-MM-DD" });
const LanguageSchema = z.string().trim().min(2).max(16);

export const WebSearchArgsSchema = z.object({
  query: z.string().trim().min(1).max(2000).describe("Search query."),
  count: z.number().min(1).max(10).optional().describe("Result count."),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, { error: "expected a 2-letter country code such as US" })
    .optional()
    .describe("2-letter country code."),
  language: LanguageSchema.optional().describe("ISO 639-1 language."),
  freshness: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["day", "week", "month", "year"]))
    .optional()
    .describe("Time filter: day/week/month/year."),
  date_after: IsoDateSchema.optional().describe("Published after YYYY-MM-DD."),
  date_before: IsoDateSchema.optional().describe("Published before YYYY-MM-DD."),
  search_lang: LanguageSchema.optional().describe("Brave result language."),
  ui_lang: LanguageSchema.optional().describe("Brave UI locale."),
  categories: z.string().trim().min(1).max(200).optional().describe("SearXNG categories, e.g. general,news."),
  domain_filter: z.array(z.string().max(253)).max(20).optional().describe("Perplexity domain filter."),
  max_tokens: z.number().min(1).max(1_000_000).optional().describe("Perplexity total token budget."),
  max_tokens_per_page: z.number().min(1).optional().describe("Perplexity tokens per page."),
});
type WebSearchArgs = z.infer<typeof WebSearchArgsSchema>;

/** Every optional parameter besides count: what a provider may or may not support. */
const FILTERS = Object.keys(WebSearchArgsSchema.shape).filter(
  (name) => name !== "query" && name !== "count",
) as WebSearchFilter[];
const FILTER_OWNERS: Partial<Record<WebSearchFilter, string>> = {
  search_lang: "Brave",
  ui_lang: "Brave",
  categories: "SearXNG",
  domain_filter: "Perplexity",
  max_tokens: "Perplexity",
  max_tokens_per_page: "Perplexity",
};

export const BUILT_IN_WEB_SEARCH_PROVIDERS: readonly WebSearchProviderDefinition[] = [
  braveSearchProvider,
  tavilySearchProvider,
  searxngSearchProvider,
];

export interface WebSearchToolOptions {
  /** Read on every call. Build it from the whole config with `webSearchToolConfigFrom(config)`. */
  config(): WebSearchToolConfig | undefined;
  env?: NodeJS.ProcessEnv;
  /** Default: Brave, Tavily and SearXNG. */
  providers?: readonly WebSearchProviderDefinition[];
}

const TITLE_MAX_CHARS = 300;
const SNIPPET_MAX_CHARS = 1_000;
const URL_MAX_CHARS = 2_048;

function setupFor(
  id: string,
  search: WebSearchSettings,
  config: WebSearchToolConfig,
  env: NodeJS.ProcessEnv,
) {
  const legacy = (search as Record<string, unknown>)[id];
  const current = config.providers?.[id];
  const asRecord = (value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return {
    settings: { ...asRecord(legacy), ...asRecord(current) },
    search,
    env,
  } satisfies WebSearchProviderSetup;
}

/** The configured provider, or the first ready one in OpenClaw's auto-detection order. */
export function selectWebSearchProvider(
  definitions: readonly WebSearchProviderDefinition[],
  config: WebSearchToolConfig,
  env: NodeJS.ProcessEnv,
): WebSearchProvider {
  const search = WebSearchConfigSchema.parse(config.search ?? {});
  const ids = definitions.map((definition) => definition.id);
  if (search.provider) {
    const chosen = definitions.find((definition) => definition.id === search.provider);
    if (!chosen) {
      throw new ToolError(
        "NOT_CONFIGURED",
        `tools.web.search.provider is "${search.provider}", which this gateway does not provide: use one of ${ids.join(", ")}`,
      );
    }
    return chosen.create(setupFor(chosen.id, search, config, env));
  }
  const ordered = [...definitions].sort((a, b) => a.autoDetectOrder - b.autoDetectOrder);
  const ready = ordered.find((definition) =>
    definition.isReady(setupFor(definition.id, search, config, env)),
  );
  if (!ready) {
    throw new ToolError(
      "NOT_CONFIGURED",
      "web_search has no search provider configured: set tools.web.search.provider to brave (key in " +
        "plugins.entries.brave.config.webSearch.apiKey or BRAVE_API_KEY), tavily (TAVILY_API_KEY) or searxng " +
        "(plugins.entries.searxng.config.webSearch.baseUrl or SEARXNG_BASE_URL)",
    );
  }
  return ready.create(setupFor(ready.id, search, config, env));
}

function refuseUnsupportedFilters(args: WebSearchArgs, provider: WebSearchProvider): void {
  const unsupported = FILTERS.filter(
    (name) => args[name] !== undefined && !provider.supportedFilters.includes(name),
  );
  if (unsupported.length === 0) return;
  const described = unsupported.map((name) =>
    FILTER_OWNERS[name] ? `${name} (${FILTER_OWNERS[name]} only)` : name,
  );
  throw new ToolError(
    "INVALID_ARGUMENTS",
    `the ${provider.id} search provider does not support ${described.join(", ")}: search again without ` +
      `${unsupported.length === 1 ? "it" : "them"}` +
      (provider.supportedFilters.length > 0 ? ` (it supports ${provider.supportedFilters.join(", ")})` : ""),
  );
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Provider prose as plain text: tags (Brave's <strong>) out, common entities decoded, whitespace collapsed. */
function plainProse(text: string, max: number): string {
  const plain = text
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X"))
        return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, " ")
    .trim();
  return sanitizeUntrustedText(plain.length > max ? `${plain.slice(0, max - 1)}…` : plain);
}

function normalizeHit(hit: WebSearchHit) {
  let url: URL;
  try {
    url = new URL(hit.url);
  } catch {
    return undefined;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.href.length > URL_MAX_CHARS)
    return undefined;
  const snippet = hit.snippet ? plainProse(hit.snippet, SNIPPET_MAX_CHARS) : "";
  const siteName = hit.siteName ? plainProse(hit.siteName, 100) : "";
  const published =
    hit.published && /^\d{4}-\d{2}-\d{2}/.test(hit.published) ? hit.published.slice(0, 40) : "";
  return {
    title: plainProse(hit.title, TITLE_MAX_CHARS),
    url: url.href,
    ...(snippet ? { snippet } : {}),
    ...(published ? { published } : {}),
    ...(siteName ? { siteName } : {}),
  };
}

async function runSearch(
  provider: WebSearchProvider,
  args: WebSearchArgs,
  search: WebSearchSettings,
  ctx: ToolContext,
) {
  const started = Date.now();
  const count = Math.round(args.count ?? search.maxResults);
  const timeout = AbortSignal.timeout(search.timeoutSeconds * 1000);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  let hits: WebSearchHit[];
  try {
    hits = await provider.search(args.query, { ...args, count }, signal);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (timeout.aborted) {
      throw new ToolError(
        "TIMEOUT",
        `the ${provider.id} search took longer than ${search.timeoutSeconds} s (tools.web.search.timeoutSeconds)`,
      );
    }
    throw error;
  }
  const results = hits
    .map(normalizeHit)
    .filter((hit) => hit !== undefined)
    .slice(0, count);
  return {
    kind: "results" as const,
    provider: provider.id,
    query: args.query,
    count: results.length,
    tookMs: Date.now() - started,
    results,
    externalContent: externalContentMarker("web_search", provider.id),
  };
}

export type WebSearchResult = Awaited<ReturnType<typeof runSearch>>;

/**
 * OpenClaw's `web_search`: one query through the configured provider (Brave, SearXNG, Tavily, or any definition
 * passed in), results normalised to title, url and snippet and capped. The model sees them inside an
 * untrusted-content envelope, since titles and snippets are written by whoever wrote the pages.
 */
export function createWebSearchTool(options: WebSearchToolOptions): AgentTool {
  const definitions = options.providers ?? BUILT_IN_WEB_SEARCH_PROVIDERS;
  return {
    name: "web_search",
    description:
      "Search current web; normalized provider results. Supports freshness and date-range filters (freshness, date_after/date_before) where the provider does.",
    parameters: WebSearchArgsSchema,
    async execute(rawArgs, ctx): Promise<WebSearchResult> {
      const args = parseToolArgs("web_search", WebSearchArgsSchema, rawArgs);
      const config = options.config() ?? {};
      const search = WebSearchConfigSchema.parse(config.search ?? {});
      if (!search.enabled) {
        throw new ToolError("UNAVAILABLE", "web_search is turned off (tools.web.search.enabled is false)");
      }
      const provider = selectWebSearchProvider(definitions, config, options.env ?? process.env);
      refuseUnsupportedFilters(args, provider);
      return runSearch(provider, args, search, ctx);
    },
    toModelOutput(result): ToolModelOutput {
      return { type: "text", value: wrapUntrustedText(JSON.stringify(result), "web_search") };
    },
  };
}
