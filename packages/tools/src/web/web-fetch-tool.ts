import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import { ToolError } from "../tool-error.js";
import { classifyContent, decodeText, extractContent } from "./fetched-content.js";
import { guardedFetch } from "./guarded-fetch.js";
import type { HostLookup } from "./ssrf-guard.js";
import { externalContentMarker, sanitizeUntrustedText, wrapUntrustedText } from "./untrusted-content.js";
import { type WebFetchConfig, WebFetchConfigSchema, type WebFetchSettings } from "./web-config.js";

export const WebFetchArgsSchema = z.object({
  url: z.string().trim().min(1).max(8192).describe("HTTP(S) URL."),
  extractMode: z.enum(["markdown", "text"]).default("markdown").describe("Extract as markdown/text."),
  maxChars: z.int().min(100).optional().describe("Max chars returned; truncates."),
});

export interface WebFetchToolOptions {
  /** Read on every call, so a config edit applies to the next fetch. `tools.web.fetch`. */
  config(): WebFetchConfig | undefined;
  /** Replaces DNS (tests map public-looking names to loopback or private addresses). */
  lookup?: HostLookup;
}

const DEFAULT_USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const ACCEPT = "text/markdown, text/html;q=0.9, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.5";
const MIN_RESPONSE_BYTES = 32_000;
const MAX_RESPONSE_BYTES = 10_000_000;
const TITLE_MAX_CHARS = 256;
const ERROR_DETAIL_CHARS = 300;
/** Fast fetches finish before this and never show a progress line. */
const PROGRESS_AFTER_MS = 5_000;

/** Headers the fetch itself owns, or that describe the connection rather than the request. */
const RESERVED_HEADERS = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "user-agent",
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "upgrade",
  "keep-alive",
  "te",
  "trailer",
  "proxy-connection",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: CR, LF and NUL are exactly what must not be sent
const UNSENDABLE_VALUE = /[\r\n\u0000]|[^\u0000-\u00ff]/;

/** `tools.web.fetch.headers` minus entries a request cannot or must not carry; names differing in case: last wins. */
function operatorHeaders(configured: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured ?? {})) {
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || !HEADER_NAME.test(name)) continue;
    if (UNSENDABLE_VALUE.test(value)) {
      delete headers[lower];
      continue;
    }
    headers[lower] = value;
  }
  return headers;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function httpErrorDetail(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 4096));
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return sanitizeUntrustedText(plain.slice(0, ERROR_DETAIL_CHARS));
}

function binaryRefusal(
  url: string,
  mediaType: string | undefined,
  bytes: number,
  truncated: boolean,
): ToolError {
  const size = `${truncated ? "more than " : ""}${bytes} bytes`;
  const hint = mediaType?.startsWith("image/")
    ? " To look at an image, use view_image."
    : " It returns text, HTML, markdown and JSON only.";
  return new ToolError(
    "UNSUPPORTED_CONTENT",
    `web_fetch cannot read ${url}: it is ${mediaType ?? "binary data"} (${size}), not text.${hint}`,
  );
}

interface FetchRun {
  url: string;
  extractMode: "markdown" | "text";
  maxChars: number;
  config: WebFetchSettings;
  lookup?: HostLookup;
  signal: AbortSignal;
}

async function runWebFetch(run: FetchRun) {
  const started = Date.now();
  const { config } = run;
  const maxBytes = clamp(config.maxResponseBytes, MIN_RESPONSE_BYTES, MAX_RESPONSE_BYTES);
  const response = await guardedFetch(run.url, {
    policy: config.ssrfPolicy,
    signal: run.signal,
    maxBytes,
    timeoutMs: config.timeoutSeconds * 1000,
    maxRedirects: config.maxRedirects,
    headers: {
      "user-agent": config.userAgent ?? DEFAULT_USER_AGENT,
      accept: ACCEPT,
      "accept-language": "en-US,en;q=0.9",
    },
    originHeaders: operatorHeaders(config.headers),
    lookup: run.lookup,
  });
  if (response.status < 200 || response.status > 299) {
    const detail = httpErrorDetail(response.body);
    throw new ToolError(
      "FETCH_FAILED",
      `${response.url} answered HTTP ${response.status}${detail ? `: ${detail}` : ""}`,
    );
  }
  const kind = classifyContent(response.contentType, response.body);
  if (kind === "binary") {
    throw binaryRefusal(response.url, response.contentType, response.body.length, response.truncated);
  }
  const source = decodeText(response.body, response.charset, kind);
  const extracted = await extractContent(source, kind, {
    url: response.url,
    mode: run.extractMode,
    readability: config.readability,
  });
  const rawLength = extracted.text.length;
  const cut = rawLength > run.maxChars;
  const warning = response.truncated
    ? `The response is larger than ${maxBytes} bytes (tools.web.fetch.maxResponseBytes); only its start was read.`
    : undefined;
  const note = cut
    ? `\n\n[web_fetch: truncated to ${run.maxChars} of ${rawLength} characters; ask again with a larger maxChars ` +
      `(the limit is tools.web.fetch.maxCharsCap = ${config.maxCharsCap})]`
    : "";
  const text = wrapUntrustedText(extracted.text.slice(0, run.maxChars), "web_fetch") + note;
  const title = extracted.title
    ? sanitizeUntrustedText(extracted.title).slice(0, TITLE_MAX_CHARS)
    : undefined;
  return {
    url: run.url,
    finalUrl: response.url,
    status: response.status,
    ...(response.contentType ? { contentType: response.contentType } : {}),
    ...(title ? { title } : {}),
    extractMode: run.extractMode,
    extractor: extracted.extractor,
    externalContent: externalContentMarker("web_fetch"),
    truncated: cut || response.truncated,
    length: text.length,
    rawLength,
    fetchedAt: new Date().toISOString(),
    tookMs: Date.now() - started,
    ...(warning ? { warning } : {}),
    text,
  };
}

export type WebFetchResult = Awaited<ReturnType<typeof runWebFetch>>;

/**
 * OpenClaw's `web_fetch`: GET one http(s) URL and return its readable content as markdown or text. Private and
 * internal addresses are refused unless `tools.web.fetch.ssrfPolicy` allows them; size, time, redirects and the
 * returned characters are capped, and the result says when something was cut.
 */
export function createWebFetchTool(options: WebFetchToolOptions): AgentTool {
  return {
    name: "web_fetch",
    description: "Fetch URL; extract readable markdown/text. Lightweight; no browser automation.",
    parameters: WebFetchArgsSchema,
    async execute(rawArgs, ctx): Promise<WebFetchResult> {
      const args = parseToolArgs("web_fetch", WebFetchArgsSchema, rawArgs);
      const config = WebFetchConfigSchema.parse(options.config() ?? {});
      if (!config.enabled) {
        throw new ToolError("UNAVAILABLE", "web_fetch is turned off (tools.web.fetch.enabled is false)");
      }
      const progress = setTimeout(
        () => ctx.update({ status: "Fetching page content..." }),
        PROGRESS_AFTER_MS,
      );
      progress.unref();
      try {
        return await runWebFetch({
          url: args.url,
          extractMode: args.extractMode,
          maxChars: clamp(args.maxChars ?? config.maxChars, 100, config.maxCharsCap),
          config,
          lookup: options.lookup,
          signal: ctx.signal,
        });
      } finally {
        clearTimeout(progress);
      }
    },
  };
}
