/**
 * Checks a message text against its `parse_mode` the way the Bot API does and returns what the recipient sees
 * (markup removed). A text the real API would refuse gets the real "can't parse entities" reason, so an adapter's
 * plain-text fallback can be tested without `failNext`. Entities of the rendered text are not computed.
 */
export type RenderedText = { ok: true; text: string } | { ok: false; description: string };

const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);

const HTML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

const MARKDOWN_V2_RESERVED = new Set("_*[]()~`>#+-=|{}.!");

const MARKDOWN_V2_MARKERS: Record<string, string> = {
  "*": "Bold",
  _: "Italic",
  __: "Underline",
  "~": "Strikethrough",
  "||": "Spoiler",
};

export function renderFormattedText(text: string, parseMode: string | undefined): RenderedText {
  if (parseMode === undefined || parseMode === "") return { ok: true, text };
  if (parseMode === "HTML") return renderHtml(text);
  if (parseMode === "MarkdownV2") return renderMarkdownV2(text);
  if (parseMode === "Markdown") return renderMarkdown(text);
  return { ok: false, description: `Bad Request: unsupported parse_mode "${parseMode}"` };
}

const cantParse = (reason: string): RenderedText => ({
  ok: false,
  description: `Bad Request: can't parse entities: ${reason}`,
});

const byteOffset = (text: string, index: number) => Buffer.byteLength(text.slice(0, index));

function renderHtml(text: string): RenderedText {
  const open: { tag: string; index: number }[] = [];
  let out = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === "&") {
      const entity = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(text.slice(index));
      const decoded = entity ? decodeHtmlEntity(entity[1] ?? "") : undefined;
      out += decoded ?? "&";
      index += decoded !== undefined && entity ? entity[0].length : 1;
      continue;
    }
    if (char !== "<") {
      out += char;
      index++;
      continue;
    }
    const tag = /^<(\/?)([a-z][a-z0-9-]*)(\s[^>]*)?>/i.exec(text.slice(index));
    if (!tag) {
      const name = /^<\/?([^\s>]*)/.exec(text.slice(index))?.[1] ?? "";
      return cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(text, index)}`);
    }
    const name = (tag[2] ?? "").toLowerCase();
    if (!HTML_TAGS.has(name)) {
      return cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(text, index)}`);
    }
    if (tag[1] === "/") {
      const last = open.pop();
      if (last?.tag !== name) {
        return cantParse(`Unexpected end tag at byte offset ${byteOffset(text, index)}`);
      }
    } else {
      open.push({ tag: name, index });
    }
    index += tag[0].length;
  }
  const unclosed = open.pop();
  if (unclosed) return cantParse(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { ok: true, text: out };
}

function decodeHtmlEntity(name: string): string | undefined {
  if (name.startsWith("#x") || name.startsWith("#X"))
    return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
  if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
  return HTML_ENTITIES[name.toLowerCase()];
}

function renderMarkdownV2(text: string): RenderedText {
  const open: { marker: string; index: number }[] = [];
  let out = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? "";
    if (char === "\\") {
      out += text[index + 1] ?? "";
      index += 2;
      continue;
    }
    if (char === "`") {
      const fence = text.startsWith("```", index) ? "```" : "`";
      const end = text.indexOf(fence, index + fence.length);
      if (end === -1) {
        const kind = fence === "```" ? "Pre" : "Code";
        return cantParse(`Can't find end of ${kind} entity at byte offset ${byteOffset(text, index)}`);
      }
      const body = text.slice(index + fence.length, end);
      out += (fence === "```" ? body.replace(/^[^\n]*\n/, "") : body).replace(/\\([`\\])/g, "$1");
      index = end + fence.length;
      continue;
    }
    const marker = text.startsWith("__", index) ? "__" : text.startsWith("||", index) ? "||" : char;
    if (MARKDOWN_V2_MARKERS[marker] !== undefined) {
      if (open.at(-1)?.marker === marker) open.pop();
      else open.push({ marker, index });
      index += marker.length;
      continue;
    }
    if (char === "[") {
      open.push({ marker: "[", index });
      index++;
      continue;
    }
    if (char === "]" && open.at(-1)?.marker === "[") {
      const url = /^\]\(((?:\\.|[^)\\])*)\)/.exec(text.slice(index));
      if (!url)
        return cantParse(`Can't find end of TextUrl entity at byte offset ${byteOffset(text, index)}`);
      open.pop();
      index += url[0].length;
      continue;
    }
    const atLineStart = index === 0 || text[index - 1] === "\n";
    if (char === ">" && atLineStart) {
      index++;
      continue;
    }
    if (MARKDOWN_V2_RESERVED.has(char)) {
      return cantParse(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
    }
    out += char;
    index++;
  }
  const unclosed = open.pop();
  if (unclosed) {
    const kind = unclosed.marker === "[" ? "TextUrl" : MARKDOWN_V2_MARKERS[unclosed.marker];
    return cantParse(`Can't find end of ${kind} entity at byte offset ${byteOffset(text, unclosed.index)}`);
  }
  return { ok: true, text: out };
}

function renderMarkdown(text: string): RenderedText {
  let out = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? "";
    if (char === "\\" && "_*`[".includes(text[index + 1] ?? "")) {
      out += text[index + 1];
      index += 2;
      continue;
    }
    const marker = text.startsWith("```", index) ? "```" : char;
    if (marker === "```" || marker === "`" || marker === "*" || marker === "_") {
      const end = text.indexOf(marker, index + marker.length);
      if (end === -1) {
        return cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(text, index)}`);
      }
      out += text.slice(index + marker.length, end);
      index = end + marker.length;
      continue;
    }
    if (char === "[") {
      const link = /^\[([^\]]*)\]\(([^)]*)\)/.exec(text.slice(index));
      if (link) {
        out += link[1];
        index += link[0].length;
        continue;
      }
    }
    out += char;
    index++;
  }
  return { ok: true, text: out };
}
