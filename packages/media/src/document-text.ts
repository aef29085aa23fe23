export interface ExtractDocumentTextOptions {
  /** The most characters returned; the rest is cut and `truncated` is set. Default 20,000. */
  maxChars?: number;
  /** The most PDF pages read. Default 50. */
  maxPages?: number;
  /**
   * A larger PDF is not parsed (`undefined`: the caller refers to the file instead). pdf.js runs on the gateway's
   * main thread, so a 100 MB upload must not stall every chat for seconds. Default 25 MB.
   */
  maxPdfBytes?: number;
}

export interface ExtractedDocumentText {
  text: string;
  truncated: boolean;
  /** For a PDF: how many pages it has. */
  pages?: number;
}

export const DEFAULT_DOCUMENT_MAX_CHARS = 20_000;
export const DEFAULT_DOCUMENT_MAX_PAGES = 50;
export const DEFAULT_MAX_PDF_BYTES = 25 * 1024 * 1024;

const TEXT_MIME_TYPES = new Set([
  "application/json",
  "application/xml",
  "application/yaml",
  "application/x-yaml",
  "application/x-ndjson",
]);

/** Whether {@link extractDocumentText} can read text out of this type. */
export function isExtractableDocument(mimeType: string): boolean {
  const type = baseType(mimeType);
  return type.startsWith("text/") || TEXT_MIME_TYPES.has(type) || type === "application/pdf";
}

/**
 * The readable text of a document: plain text, Markdown, CSV, JSON and other text formats as they are, a PDF's text
 * layer page by page. `undefined` when the type holds no text we can read or the file is broken: a bad upload must
 * never take the message down with it.
 */
export async function extractDocumentText(
  bytes: Uint8Array,
  mimeType: string,
  options: ExtractDocumentTextOptions = {},
): Promise<ExtractedDocumentText | undefined> {
  const maxChars = options.maxChars ?? DEFAULT_DOCUMENT_MAX_CHARS;
  const type = baseType(mimeType);
  if (type === "application/pdf") {
    if (bytes.byteLength > (options.maxPdfBytes ?? DEFAULT_MAX_PDF_BYTES)) return undefined;
    return extractPdfText(bytes, maxChars, options.maxPages ?? DEFAULT_DOCUMENT_MAX_PAGES);
  }
  if (!isExtractableDocument(type)) return undefined;
  // Decoding more than the cap (4 bytes per character at most) is wasted work.
  const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes.subarray(0, maxChars * 4 + 4));
  return cut(text, maxChars, bytes.byteLength > maxChars * 4 + 4);
}

async function extractPdfText(
  bytes: Uint8Array,
  maxChars: number,
  maxPages: number,
): Promise<ExtractedDocumentText | undefined> {
  const { getDocumentProxy } = await import("unpdf");
  let document: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy so the caller's bytes stay intact.
    document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const pages: string[] = [];
    let length = 0;
    const readable = Math.min(document.numPages, maxPages);
    for (let number = 1; number <= readable && length <= maxChars; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : ""))
        .join("")
        .trim();
      pages.push(text);
      length += text.length + 2;
    }
    const result = cut(pages.join("\n\n").trim(), maxChars, document.numPages > pages.length);
    return { ...result, pages: document.numPages };
  } catch {
    return undefined;
  } finally {
    await document?.loadingTask.destroy().catch(() => undefined);
  }
}

function cut(text: string, maxChars: number, alreadyCut: boolean): ExtractedDocumentText {
  if (text.length <= maxChars) return { text, truncated: alreadyCut };
  return { text: text.slice(0, maxChars), truncated: true };
}

function baseType(mimeType: string): string {
  return (mimeType.split(";")[0] ?? "").trim().toLowerCase();
}
