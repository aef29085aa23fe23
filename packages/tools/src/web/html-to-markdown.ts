import { parseHTML } from "linkedom";
import { NodeHtmlMarkdown } from "node-html-markdown";
import { BLOCK_TAGS } from "./block-tags.js";

type DomDocument = ReturnType<typeof parseHTML>["document"];
type DomElement = DomDocument["body"];

/**
 * node-html-markdown re-reads its whole output after every piece it appends, so one call's time grows with the
 * square of its output (a 750 KB article: 10 s instead of 0.3 s). Pages are converted in runs of top-level blocks
 * of about this many characters of HTML, which keeps the time linear in the page size.
 */
export const MARKDOWN_CHUNK_CHARS = 32_000;

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** Blocks that render as nothing but their content, so converting their children alone loses nothing. */
const WRAPPER_TAGS = new Set(["ARTICLE", "DIV", "MAIN", "SECTION"]);

let converter: NodeHtmlMarkdown | undefined;

function markdownConverter(): NodeHtmlMarkdown {
  converter ??= new NodeHtmlMarkdown({
    bulletMarker: "-",
    codeBlockStyle: "fenced",
    maxConsecutiveNewlines: 2,
    ignore: ["noscript", "template", "iframe", "object", "embed", "svg", "canvas"],
  });
  return converter;
}

/** The element whose children are the page's blocks: wrappers with a single child and no text are skipped. */
function blockContainer(body: DomElement): DomElement {
  let container = body;
  for (;;) {
    const children = [...container.childNodes].filter(
      (node) => node.nodeType === ELEMENT_NODE || (node.nodeType === TEXT_NODE && node.textContent?.trim()),
    );
    const only = children[0];
    if (children.length !== 1 || only?.nodeType !== ELEMENT_NODE || !WRAPPER_TAGS.has(only.nodeName)) {
      return container;
    }
    container = only as DomElement;
  }
}

/** A code block's last newline is the end of its last line, not an empty line before the closing fence. */
function trimCodeBlockEnds(document: DomDocument): void {
  for (const pre of document.querySelectorAll("pre")) {
    let last = pre.lastChild;
    while (last?.nodeType === ELEMENT_NODE) last = last.lastChild;
    if (last?.nodeType === TEXT_NODE && last.textContent)
      last.textContent = last.textContent.replace(/\n+$/, "");
  }
}

/** Runs of consecutive top-level nodes, each run's HTML about MARKDOWN_CHUNK_CHARS, cut only after a block. */
function htmlRuns(container: DomElement): string[] {
  const runs: string[] = [];
  let run = "";
  for (const node of container.childNodes) {
    run += node.nodeType === ELEMENT_NODE ? (node as DomElement).outerHTML : (node.toString() ?? "");
    if (
      run.length >= MARKDOWN_CHUNK_CHARS &&
      node.nodeType === ELEMENT_NODE &&
      BLOCK_TAGS.has(node.nodeName)
    ) {
      runs.push(run);
      run = "";
    }
  }
  if (run) runs.push(run);
  return runs;
}

/** GitHub-flavoured markdown for an HTML fragment: headings, emphasis, links, images, lists, code, quotes, tables. */
export function htmlToMarkdown(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  trimCodeBlockEnds(document);
  const convert = markdownConverter();
  return htmlRuns(blockContainer(document.body))
    .map((run) => convert.translate(run).trim())
    .filter(Boolean)
    .join("\n\n");
}
