import { z } from "zod";

const HostnameListSchema = z.array(z.string().trim().min(1).max(253)).max(512);

/**
 * A credential as OpenClaw writes one: the value, a whole-string `${ENV_VAR}`, or a SecretRef object
 * (`{ source: "env", id: "BRAVE_API_KEY" }`; other sources are refused when the tool needs the value).
 */
export const SecretInputSchema = z.union([
  z.string().max(4096),
  z.looseObject({
    source: z.string().min(1),
    provider: z.string().optional(),
    id: z.string().min(1).max(256),
  }),
]);
export type SecretInput = z.infer<typeof SecretInputSchema>;

export const WebFetchSsrfPolicySchema = z
  .looseObject({
    dangerouslyAllowPrivateNetwork: z.boolean().default(false).meta({
      title: "Dangerously allow private network",
      description:
        "Lets web_fetch reach private, loopback and link-local addresses (this machine, its LAN, cloud metadata). Keep off unless model-chosen URLs are trusted here.",
    }),
    allowedHostnames: HostnameListSchema.default([]).meta({
      title: "Allowed hostnames",
      description: "Exact host names or IP literals web_fetch may reach even when they are private.",
    }),
    blockedHostnames: HostnameListSchema.default([]).meta({
      title: "Blocked hostnames",
      description: 'Hosts refused on every hop, before DNS; "*.example.com" matches subdomains only.',
    }),
    allowRfc2544BenchmarkRange: z.boolean().default(false).meta({
      title: "Allow 198.18.0.0/15",
      description: "For fake-IP proxies (Clash, Surge) that answer every name from this range.",
    }),
    allowIpv6UniqueLocalRange: z.boolean().default(false).meta({
      title: "Allow fc00::/7",
      description: "For fake-IP proxies (sing-box, Clash) that answer from IPv6 unique-local addresses.",
    }),
  })
  .meta({ title: "Web fetch SSRF policy" });

/** `tools.web.fetch`, with OpenClaw's keys and defaults. */
export const WebFetchConfigSchema = z
  .looseObject({
    enabled: z.boolean().default(true).meta({ title: "Enable web_fetch" }),
    maxChars: z.int().min(100).default(20_000).meta({
      title: "Max characters",
      description:
        "Characters web_fetch returns by default; a call's maxChars may ask for more, up to maxCharsCap.",
    }),
    maxCharsCap: z.int().min(100).default(20_000).meta({ title: "Hard max characters" }),
    maxResponseBytes: z.int().positive().default(750_000).meta({
      title: "Max download size (bytes)",
      description: "Reading stops here and the result says so; clamped to 32000-10000000.",
    }),
    timeoutSeconds: z.number().positive().max(600).default(30).meta({ title: "Timeout (seconds)" }),
    maxRedirects: z.int().min(0).max(20).default(3).meta({ title: "Max redirects" }),
    readability: z.boolean().default(true).meta({
      title: "Readability",
      description: "Extract the main content of HTML pages; off converts the whole page body.",
    }),
    userAgent: z.string().trim().min(1).max(512).optional().meta({ title: "User-Agent" }),
    headers: z.record(z.string().max(256), z.string().max(8192)).optional().meta({
      title: "Extra request headers",
      description:
        "Sent to the URL the model asks for (and same-origin redirects), never to another origin. Accept, Accept-Language, User-Agent and framing headers are dropped.",
    }),
    ssrfPolicy: WebFetchSsrfPolicySchema.prefault({}),
  })
  .meta({ title: "Web fetch" });

export const BraveWebSearchSettingsSchema = z
  .looseObject({
    apiKey: SecretInputSchema.optional().meta({ title: "Brave Search API key" }),
    mode: z.enum(["web", "llm-context"]).optional().meta({ title: "Mode" }),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({
        title: "Base URL",
        description:
          "A Brave-compatible proxy; /res/v1/web/search is appended. http:// only for private hosts.",
      }),
  })
  .meta({ title: "Brave web search" });

export const SearxngWebSearchSettingsSchema = z
  .looseObject({
    baseUrl: SecretInputSchema.optional().meta({ title: "SearXNG base URL" }),
    categories: z
      .string()
      .trim()
      .max(200)
      .optional()
      .meta({ title: "Categories", description: "e.g. general,news" }),
    language: z.string().trim().max(32).optional().meta({ title: "Language" }),
  })
  .meta({ title: "SearXNG web search" });

export const TavilyWebSearchSettingsSchema = z
  .looseObject({
    apiKey: SecretInputSchema.optional().meta({ title: "Tavily API key" }),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({ title: "Base URL" }),
  })
  .meta({ title: "Tavily web search" });

/**
 * `tools.web.search`, with OpenClaw's keys. A provider's own settings live, as in OpenClaw, under
 * `plugins.entries.<provider>.config.webSearch`; the older `tools.web.search.<provider>` blocks and the Brave
 * `tools.web.search.apiKey` are still read, with lower priority.
 */
export const WebSearchConfigSchema = z
  .looseObject({
    enabled: z.boolean().default(true).meta({ title: "Enable web_search" }),
    provider: z.string().trim().toLowerCase().min(1).max(64).optional().meta({
      title: "Provider",
      description:
        "brave, searxng or tavily; omitted: the first one with credentials (Brave, Tavily, SearXNG).",
    }),
    maxResults: z.int().min(1).max(10).default(5).meta({ title: "Max results" }),
    timeoutSeconds: z.number().positive().max(300).default(30).meta({ title: "Timeout (seconds)" }),
    apiKey: SecretInputSchema.optional().meta({ title: "Brave API key (legacy place)" }),
    brave: BraveWebSearchSettingsSchema.optional(),
    searxng: SearxngWebSearchSettingsSchema.optional(),
    tavily: TavilyWebSearchSettingsSchema.optional(),
  })
  .meta({ title: "Web search" });

/** `tools.web`: mount it as `tools.web` in the gateway's config schema. */
export const WebToolsConfigSchema = z
  .looseObject({
    fetch: WebFetchConfigSchema.prefault({}),
    search: WebSearchConfigSchema.prefault({}),
  })
  .meta({ title: "Web tools" });

export type WebFetchConfig = z.input<typeof WebFetchConfigSchema>;
export type WebSearchConfig = z.input<typeof WebSearchConfigSchema>;
export type WebToolsConfig = z.infer<typeof WebToolsConfigSchema>;
export type WebFetchSettings = z.infer<typeof WebFetchConfigSchema>;
export type WebSearchSettings = z.infer<typeof WebSearchConfigSchema>;

/** What `web_search` reads: `tools.web.search` plus each provider's `plugins.entries.<id>.config.webSearch`. */
export interface WebSearchToolConfig {
  search?: WebSearchConfig;
  /** Keyed by provider id ("brave", "searxng", "tavily"): the `webSearch` object of that plugin entry. */
  providers?: Record<string, unknown>;
}

/**
 * Picks what `web_search` needs out of a whole OpenClaw config: `tools.web.search` and the `webSearch` block of
 * every `plugins.entries.<id>.config`.
 */
export function webSearchToolConfigFrom(config: unknown): WebSearchToolConfig {
  const record = (value: unknown): Record<string, unknown> | undefined =>
    value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const root = record(config);
  const search = record(record(record(root?.tools)?.web)?.search);
  const entries = record(record(root?.plugins)?.entries) ?? {};
  const providers: Record<string, unknown> = {};
  for (const [id, entry] of Object.entries(entries)) {
    const webSearch = record(record(record(entry)?.config)?.webSearch);
    if (webSearch) providers[id] = webSearch;
  }
  return { search: search as WebSearchConfig | undefined, providers };
}
