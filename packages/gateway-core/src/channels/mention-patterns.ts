import { z } from "zod";
import { agentChatSettings } from "./agent-chat-settings.js";

/** A pattern longer than this is ignored: mention triggers are short words, not programs. */
const MAX_PATTERN_LENGTH = 200;
/** Patterns checked per message; the rest are ignored. */
const MAX_PATTERNS = 50;
/** Only this much of a message is searched, so a huge message cannot make matching slow. */
const MAX_SCANNED_CHARS = 4_000;

const MessagesGroupChatSchema = z.looseObject({
  groupChat: z.looseObject({ mentionPatterns: z.array(z.string()).optional() }).optional(),
});

/** Mention patterns and whether they are Unicode-aware (the derived ones are). */
export interface MentionPatterns {
  patterns: string[];
  unicode: boolean;
}

const WORD_CHAR = String.raw`[\p{L}\p{N}\p{Pc}\p{M}]`;

/**
 * The text patterns that count as mentioning `agentId` in a group, by OpenClaw's rule: the agent's own
 * `groupChat.mentionPatterns` when it sets the key (`[]` turns them off), else `messages.groupChat.mentionPatterns`
 * when set, else patterns derived from the agent's identity: its name as a whole word (optionally after "@") and
 * its emoji.
 */
export function resolveMentionPatterns(messages: unknown, agents: unknown, agentId: string): MentionPatterns {
  const settings = agentChatSettings(agents, agentId);
  if (settings.mentionPatterns) return { patterns: settings.mentionPatterns, unicode: false };
  const parsed = MessagesGroupChatSchema.safeParse(messages ?? {});
  const global = parsed.success ? parsed.data.groupChat?.mentionPatterns : undefined;
  if (global) return { patterns: global, unicode: false };
  const derived: string[] = [];
  if (settings.identityName) {
    derived.push(`(?:@|(?<!${WORD_CHAR}))${escapeRegExp(settings.identityName)}(?!${WORD_CHAR})`);
  }
  if (settings.identityEmoji) derived.push(escapeRegExp(settings.identityEmoji));
  return { patterns: derived, unicode: derived.length > 0 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// A quantified group that itself contains a quantifier, such as (a+)+ or (\w*)*: catastrophic backtracking.
const NESTED_REPETITION = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d)/;

const compiled = new Map<string, RegExp | null>();

/** The pattern as a case-insensitive regular expression; undefined when invalid or unsafe (OpenClaw ignores those). */
export function compileMentionPattern(pattern: string, unicode = false): RegExp | undefined {
  const cacheKey = `${unicode ? "u" : "-"}${pattern}`;
  const cached = compiled.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  let regex: RegExp | null = null;
  if (pattern.trim() !== "" && pattern.length <= MAX_PATTERN_LENGTH && !NESTED_REPETITION.test(pattern)) {
    try {
      regex = new RegExp(pattern, unicode ? "iu" : "i");
    } catch {
      regex = null;
    }
  }
  if (compiled.size > 1_000) compiled.clear();
  compiled.set(cacheKey, regex);
  return regex ?? undefined;
}

/** Whether `text` (zero-width characters removed, as OpenClaw does) mentions the agent by one of the patterns. */
export function matchesMentionPattern(text: string, mention: MentionPatterns): boolean {
  const scanned = text.slice(0, MAX_SCANNED_CHARS).replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u206f]/g, "");
  return mention.patterns
    .slice(0, MAX_PATTERNS)
    .some((pattern) => compileMentionPattern(pattern, mention.unicode)?.test(scanned) === true);
}
