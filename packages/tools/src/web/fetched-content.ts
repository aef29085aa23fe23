import type { ExtractMode } from "./html-extraction.js";

export type ContentKind = "html" | "markdown" | "json" | "text" | "binary";

const TEXT_APPLICATION_TYPES = new Set([
  "application/javascript",
  "application/ecmascript",
  "application/xml",
  "application/x-ndjson",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/x-sh",
  "application/sql",
  "application/graphql",
  "application/x-www-form-urlencoded",
]);

/** What a body is, from its media type, or from its first bytes when the server did not say. */
export function classifyContent(mediaType: string | undefined, body: Uint8Array): ContentKind {
  if (mediaType) {
    if (mediaType === "text/html" || mediaType === "application/xhtml+xml") return "html";
    if (mediaType === "text/markdown" || mediaType === "text/x-markdown") return "markdown";
    if (mediaType === "application/json" || mediaType.endsWith("+json")) return "json";
    if (
      mediaType.startsWith("text/") ||
      mediaType.endsWith("+xml") ||
      TEXT_APPLICATION_TYPES.has(mediaType)
    ) {
      return "text";
    }
    if (mediaType !== "application/octet-stream") return "binary";
  }
  const head = body.subarray(0, 1024);
  if (head.includes(0)) return "binary";
  const start = new TextDecoder().decode(head).trimStart().slice(0, 64).toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html") ? "html" : "text";
}

/** The charset a page declares in a `<meta>` near its top, for servers that leave it out of the header. */
function declaredHtmlCharset(body: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(body.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

export function decodeText(body: Uint8Array, charset: string | undefined, kind: ContentKind): string {
  const label = charset ?? (kind === "html" ? declaredHtmlCharset(body) : undefined) ?? "utf-8";
  try {
    return new TextDecoder(label).decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}

export interface ExtractedContent {
  text: string;
  title?: string;
  extractor: string;
}

/** Text for the model: HTML through Readability, JSON pretty-printed, markdown and plain text as they are. */
export async function extractContent(
  source: string,
  kind: Exclude<ContentKind, "binary">,
  options: { url: string; mode: ExtractMode; readability: boolean },
): Promise<ExtractedContent> {
  if (kind === "html") {
    // linkedom, Readability and node-html-markdown load on the first HTML page, not with the gateway.
    const { extractHtml } = await import("./html-extraction.js");
    return extractHtml(source, options);
  }
  if (kind === "json") {
    try {
      return { text: JSON.stringify(JSON.parse(source), null, 2), extractor: "json" };
    } catch {
      return { text: source, extractor: "raw" };
    }
  }
  return { text: source, extractor: kind === "markdown" ? "markdown" : "raw" };
}
