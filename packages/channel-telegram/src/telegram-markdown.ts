/**
 * Converts the Markdown an agent writes (CommonMark-style: `**bold**`, `*italic*`, `` `code` ``, fences, links,
 * `~~strike~~`, `#` headings) to Telegram MarkdownV2, escaping everything else. Telegram rejects MarkdownV2 it
 * cannot parse with a 400, and the sender then falls back to plain text, so this aims at the common cases rather
 * than at every corner of CommonMark.
 */
import { convertMarkdownBlocks } from "@openclaw/plugin-sdk";

const SPECIAL_CHARACTERS = /[_*[\]()~`>#+\-=|{}.!\\]/g;

export function escapeMarkdownV2(text: string): string {
  return text.replace(SPECIAL_CHARACTERS, (character) => `\\${character}`);
}

/** Inside `code` and ```pre``` only the backtick and the backslash are escaped. */
function escapeCode(text: string): string {
  return text.replace(/[`\\]/g, (character) => `\\${character}`);
}

/** Inside a link's (...) only ")" and the backslash are escaped. */
function escapeLinkUrl(url: string): string {
  return url.replace(/[)\\]/g, (character) => `\\${character}`);
}

interface InlineRule {
  pattern: RegExp;
  /** Single-character emphasis, which opens only after a non-word character. */
  wordBounded?: boolean;
  render(match: RegExpExecArray): string;
}

const INLINE_RULES: InlineRule[] = [
  { pattern: /`([^`\n]+)`/y, render: (m) => `\`${escapeCode(m[1] ?? "")}\`` },
  {
    pattern: /\[([^\]\n]+)\]\(([^()\s]+)\)/y,
    render: (m) => `[${convertInline(m[1] ?? "")}](${escapeLinkUrl(m[2] ?? "")})`,
  },
  { pattern: /\*\*(?=\S)(.+?)(?<=\S)\*\*/y, render: (m) => `*${convertInline(m[1] ?? "")}*` },
  { pattern: /__(?=\S)(.+?)(?<=\S)__/y, render: (m) => `*${convertInline(m[1] ?? "")}*` },
  { pattern: /~~(?=\S)(.+?)(?<=\S)~~/y, render: (m) => `~${convertInline(m[1] ?? "")}~` },
  {
    pattern: /\*(?=[^\s*])([^*\n]+?)(?<=\S)\*/y,
    wordBounded: true,
    render: (m) => `_${convertInline(m[1] ?? "")}_`,
  },
  {
    pattern: /_(?=[^\s_])([^_\n]+?)(?<=\S)_(?![A-Za-z0-9])/y,
    wordBounded: true,
    render: (m) => `_${convertInline(m[1] ?? "")}_`,
  },
];

function convertInline(text: string): string {
  let output = "";
  let index = 0;
  while (index < text.length) {
    const previous = index === 0 ? "" : text.charAt(index - 1);
    // snake_case_names and 2*3*4 stay literal: emphasis opens only after a non-word character.
    const canOpen = !/[A-Za-z0-9]/.test(previous);
    let matched = false;
    for (const rule of INLINE_RULES) {
      if (!canOpen && rule.wordBounded) continue;
      rule.pattern.lastIndex = index;
      const match = rule.pattern.exec(text);
      if (match === null) continue;
      output += rule.render(match);
      index += match[0].length;
      matched = true;
      break;
    }
    if (matched) continue;
    output += escapeMarkdownV2(text.charAt(index));
    index += 1;
  }
  return output;
}

export function markdownToTelegramMarkdownV2(markdown: string): string {
  return convertMarkdownBlocks(markdown, {
    inline: convertInline,
    // Telegram needs the closing fence even when chunking cut the block.
    codeBlock: (body, language) => `\`\`\`${language}\n${escapeCode(body)}\n\`\`\``,
  });
}
