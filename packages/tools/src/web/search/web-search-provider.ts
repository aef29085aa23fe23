import { ToolError } from "../../tool-error.js";
import type { WebSearchSettings } from "../web-config.js";

/** The optional `web_search` parameters; each provider lists the ones it honours, the rest are refused. */
export type WebSearchFilter =
  | "country"
  | "language"
  | "freshness"
  | "date_after"
  | "date_before"
  | "search_lang"
  | "ui_lang"
  | "categories"
  | "domain_filter"
  | "max_tokens"
  | "max_tokens_per_page";

export interface WebSearchOptions {
  /** 1-10. */
  count: number;
  country?: string;
  language?: string;
  freshness?: "day" | "week" | "month" | "year";
  /** YYYY-MM-DD. */
  date_after?: string;
  date_before?: string;
  search_lang?: string;
  ui_lang?: string;
  categories?: string;
}

/** One result as a provider reports it; the tool cleans, checks and caps these before the model sees them. */
export interface WebSearchHit {
  title: string;
  url: string;
  snippet?: string;
  /** ISO date or timestamp of publication, when the provider knows it. */
  published?: string;
  siteName?: string;
}

export interface WebSearchProvider {
  readonly id: string;
  readonly supportedFilters: readonly WebSearchFilter[];
  search(query: string, opts: WebSearchOptions, signal: AbortSignal): Promise<WebSearchHit[]>;
}

export interface WebSearchProviderSetup {
  /** `plugins.entries.<id>.config.webSearch` laid over the legacy `tools.web.search.<id>`. */
  settings: Record<string, unknown>;
  /** The parsed `tools.web.search`. */
  search: WebSearchSettings;
  env: NodeJS.ProcessEnv;
}

/** How the tool finds and builds a provider; add one to offer another search service. */
export interface WebSearchProviderDefinition {
  id: string;
  /** Lower is tried first when `tools.web.search.provider` is not set; only providers `isReady` are picked. */
  autoDetectOrder: number;
  /** Whether its credentials (or endpoint) are present. */
  isReady(setup: WebSearchProviderSetup): boolean;
  /** Throws `ToolError("NOT_CONFIGURED")` naming the config key and environment variable to set. */
  create(setup: WebSearchProviderSetup): WebSearchProvider;
}

/**
 * A configured credential as a string: plain text, a whole-string `${VAR}`, or an env SecretRef. Undefined when
 * nothing is configured; a reference to something missing or unsupported is an error naming `key`.
 */
export function resolveSecretInput(value: unknown, key: string, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const reference = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value.trim());
    if (!reference?.[1]) return value.trim() || undefined;
    const resolved = env[reference[1]]?.trim();
    if (!resolved) {
      throw new ToolError(
        "NOT_CONFIGURED",
        `${key} refers to \${${reference[1]}}, which is not set in the environment`,
      );
    }
    return resolved;
  }
  const ref = value as { source?: unknown; id?: unknown };
  if (ref.source !== "env" || typeof ref.id !== "string") {
    throw new ToolError(
      "NOT_CONFIGURED",
      `${key} is a "${String(ref.source)}" secret reference, which web_search cannot read yet: write the value, or use { source: "env", id: "VAR" }`,
    );
  }
  const resolved = env[ref.id]?.trim();
  if (!resolved) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `${key} refers to the environment variable ${ref.id}, which is not set`,
    );
  }
  return resolved;
}

/** `<base>` with `path` appended to whatever path the base already has (a proxy may live under a prefix). */
export function endpointUrl(base: string, path: string, key: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new ToolError("NOT_CONFIGURED", `${key} is not a valid URL: ${base.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolError("NOT_CONFIGURED", `${key} must be an http:// or https:// URL`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  url.search = "";
  url.hash = "";
  return url;
}

/** Items of a provider's result list that have a title and a URL, with whatever extras are strings. */
export function hitsFrom(
  list: unknown,
  fields: (item: Record<string, unknown>) => { snippet?: unknown; published?: unknown; siteName?: unknown },
): WebSearchHit[] {
  if (!Array.isArray(list)) return [];
  const hits: WebSearchHit[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (typeof item?.title !== "string" || typeof item.url !== "string") continue;
    const hit: WebSearchHit = { title: item.title, url: item.url };
    for (const [name, value] of Object.entries(fields(item))) {
      if (typeof value === "string" && value) hit[name as "snippet" | "published" | "siteName"] = value;
    }
    hits.push(hit);
  }
  return hits;
}

export function stringSetting(settings: Record<string, unknown>, name: string): string | undefined {
  const value = settings[name];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}
