const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;

export interface MarkdownBlockRenderer {
  /** Renders the inline markup of one line of prose (bold, italics, links, code spans) in the platform's syntax. */
  inline(text: string): string;
  /** Renders one fenced code block; `language` is the fence's tag ("" when none). */
  codeBlock(body: string, language: string): string;
}

/**
 * The block structure every chat platform's markup shares: headings become bold lines, list items get a bullet,
 * quotes keep their `>`, and fenced code blocks are passed whole to `codeBlock` (an unclosed fence, e.g. one cut by
 * chunking, still ends at the text's end). Adapters supply only their inline syntax and escaping.
 */
export function convertMarkdownBlocks(markdown: string, renderer: MarkdownBlockRenderer): string {
  const lines = markdown.split("\n");
  const output: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    const fence = FENCE.exec(line);
    if (fence === null) {
      output.push(convertLine(line, renderer));
      index += 1;
      continue;
    }
    const marker = fence[1] ?? "```";
    const body: string[] = [];
    index += 1;
    while (index < lines.length && !(lines[index] ?? "").trim().startsWith(marker)) {
      body.push(lines[index] ?? "");
      index += 1;
    }
    index += 1;
    output.push(renderer.codeBlock(body.join("\n"), fence[2] ?? ""));
  }
  return output.join("\n");
}

function convertLine(line: string, renderer: MarkdownBlockRenderer): string {
  const heading = /^#{1,6}\s+(.*)$/.exec(line);
  if (heading) return `*${renderer.inline(heading[1] ?? "")}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ""}• ${renderer.inline(bullet[2] ?? "")}`;
  const quote = /^>\s?(.*)$/.exec(line);
  if (quote) return `>${renderer.inline(quote[1] ?? "")}`;
  return renderer.inline(line);
}
