import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { BLOCK_TAGS } from "./block-tags.js";
import { htmlToMarkdown } from "./html-to-markdown.js";

export type ExtractMode = "markdown" | "text";

export interface ExtractedHtml {
  text: string;
  title?: string;
  /** "readability" when the main content was found, "html" when the whole body was converted. */
  extractor: "readability" | "html";
}

type DomDocument = ReturnType<typeof parseHTML>["document"];
type DomNode = DomDocument["body"];

/** Elements that never carry readable text. */
const NOISE_SELECTOR = "script, style, noscript, template, iframe, object, embed, svg, canvas";
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const LINE_TAGS = new Set(["LI", "TR", "DT", "DD", "FIGCAPTION", "CAPTION"]);
/** Containers whose whitespace between children is only source indentation. */
const LIST_CONTAINERS = new Set(["UL", "OL", "DL", "TABLE", "THEAD", "TBODY", "TFOOT", "TR"]);

/** Links and images in the output point where they pointed on the page, not at paths relative to nothing. */
function absolutizeLinks(document: DomDocument, pageUrl: string): void {
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const element of document.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute);
      if (!value || value.startsWith("#")) continue;
      try {
        element.setAttribute(attribute, new URL(value, pageUrl).href);
      } catch {
        element.removeAttribute(attribute);
      }
    }
  }
}

/** Block text: paragraphs one blank line apart, list items and rows one line apart, cells a tab apart. */
function plainTextOf(root: DomNode): string {
  let out = "";
  /** Newlines owed before the next text; adjacent blocks share one gap instead of adding theirs up. */
  let pendingBreak = 0;
  const emit = (text: string): void => {
    if (!text) return;
    if (pendingBreak > 0 && out) out = out.replace(/[ \t]+$/, "") + "\n".repeat(pendingBreak);
    pendingBreak = 0;
    out += text;
  };
  const breakAtLeast = (lines: number): void => {
    pendingBreak = Math.max(pendingBreak, lines);
  };
  const walk = (node: DomNode): void => {
    if (node.nodeType === TEXT_NODE) {
      const text = node.textContent ?? "";
      const container = node.parentNode?.nodeName.toUpperCase() ?? "";
      if (!text.trim() && (LIST_CONTAINERS.has(container) || pendingBreak > 0)) return;
      emit(text.replace(/\s+/g, " "));
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = node.tagName.toUpperCase();
    if (tag === "BR") {
      breakAtLeast(1);
      return;
    }
    if (tag === "PRE") {
      breakAtLeast(2);
      emit(node.textContent ?? "");
      breakAtLeast(2);
      return;
    }
    const lines = BLOCK_TAGS.has(tag) ? 2 : LINE_TAGS.has(tag) ? 1 : 0;
    if (lines) breakAtLeast(lines);
    if (tag === "LI") emit("- ");
    for (const child of node.childNodes as Iterable<DomNode>) walk(child);
    if (lines) breakAtLeast(lines);
    if (tag === "TD" || tag === "TH") emit("\t");
  };
  walk(root);
  return out.replace(/[ \t]+\n/g, "\n").trim();
}

function render(html: string, mode: ExtractMode): string {
  if (mode === "markdown") return htmlToMarkdown(html);
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return plainTextOf(document.body);
}

function readableArticle(html: string, pageUrl: string): { content: string; title?: string } | undefined {
  const { document } = parseHTML(html);
  absolutizeLinks(document, pageUrl);
  // Readability only trusts text it can score; a page with too little of it (a login wall, an app shell) comes
  // back null and the body is converted instead.
  const article = new Readability(
    document as unknown as ConstructorParameters<typeof Readability>[0],
  ).parse();
  if (!article?.content || !article.textContent?.trim()) return undefined;
  return { content: article.content, title: article.title?.trim() || undefined };
}

/** Turns an HTML page into readable markdown or text: Readability's main content, or else the cleaned-up body. */
export function extractHtml(
  html: string,
  options: { url: string; mode: ExtractMode; readability: boolean },
): ExtractedHtml {
  const article = options.readability ? readableArticle(html, options.url) : undefined;
  if (article) {
    const text = render(article.content, options.mode);
    if (text) return { text, title: article.title, extractor: "readability" };
  }
  const { document } = parseHTML(html);
  absolutizeLinks(document, options.url);
  for (const element of document.querySelectorAll(NOISE_SELECTOR)) element.remove();
  const title = document.title?.trim() || undefined;
  const body = document.body?.innerHTML ?? document.documentElement?.innerHTML ?? "";
  return { text: render(body, options.mode), title, extractor: "html" };
}
