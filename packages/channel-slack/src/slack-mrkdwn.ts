/**
 * Converts the Markdown an agent writes (`**bold**`, `*italic*`, `~~strike~~`, `` `code` ``, fences, links,
 * `#` headings, bullets) to Slack mrkdwn (`*bold*`, `_italic_`, `~strike~`, `<url|text>`). Slack has no parse
 * errors (unknown markup shows literally), so this aims at the common cases. `&`, `<` and `>` are always escaped,
 * as Slack requires, except in Slack's own markup the agent may echo (`<@U123>`, `<#C123>`, `<!here>`).
 */
import { convertMarkdownBlocks } from "@openclaw/plugin-sdk";

const SLACK_MARKUP = /^<(?:[@#][A-Z0-9]+(?:\|[^>\n]*)?|![a-z^][^>\n]*)>/y;

/** Slack's three entities; everything else is literal. */
export function escapeSlackText(text: string): string {
  let output = "";
  let index = 0;
  while (index < text.length) {
    SLACK_MARKUP.lastIndex = 0;
    const markup = text.charAt(index) === "<" ? SLACK_MARKUP.exec(text.slice(index)) : null;
    if (markup !== null) {
      output += markup[0];
      index += markup[0].length;
      continue;
    }
    const character = text.charAt(index);
    output +=
      character === "&" ? "&amp;" : character === "<" ? "&lt;" : character === ">" ? "&gt;" : character;
    index += 1;
  }
  return output;
}

/** Inside code only the entities are escaped; mentions are not resolved there by Slack anyway. */
function escapeCode(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
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
    render: (m) => `<${(m[2] ?? "").replace(/[|>]/g, encodeURIComponent)}|${escapeCode(m[1] ?? "")}>`,
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
  let plain = "";
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
      output += escapeSlackText(plain) + rule.render(match);
      plain = "";
      index += match[0].length;
      matched = true;
      break;
    }
    if (matched) continue;
    plain += text.charAt(index);
    index += 1;
  }
  return output + escapeSlackText(plain);
}

export function markdownToSlackMrkdwn(markdown: string): string {
  return convertMarkdownBlocks(markdown, {
    inline: convertInline,
    // Slack shows a fence's language tag as the first code line, so it is dropped.
    codeBlock: (body) => `\`\`\`\n${escapeCode(body)}\n\`\`\``,
  });
}
