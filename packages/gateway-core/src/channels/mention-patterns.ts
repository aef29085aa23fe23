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

/**
 * The text patterns that count as mentioning `agentId` in a group (OpenClaw's rule): the agent's own
 * `groupChat.mentionPatterns`, else `messages.groupChat.mentionPatterns`, else none.
 */
export function resolveMentionPatterns(messages: unknown, agents: unknown, agentId: string): string[] {
  const own = agentChatSettings(agents, agentId).mentionPatterns;
  if (own) return own;
  const parsed = MessagesGroupChatSchema.safeParse(messages ?? {});
  return parsed.success ? (parsed.data.groupChat?.mentionPatterns ?? []) : [];
}

// A quantified group that itself contains a quantifier, such as (a+)+ or (\w*)*: catastrophic backtracking.
const NESTED_REPETITION = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d)/;

const compiled = new Map<string, RegExp | null>();

/** The pattern as a case-insensitive regular expression; undefined when invalid or unsafe (OpenClaw ignores those). */
export function compileMentionPattern(pattern: string): RegExp | undefined {
  const cached = compiled.get(pattern);
  if (cached !== undefined) return cached ?? undefined;
  let regex: RegExp | null = null;
  if (pattern.trim() !== "" && pattern.length <= MAX_PATTERN_LENGTH && !NESTED_REPETITION.test(pattern)) {
    try {
      regex = new RegExp(pattern, "iu");
    } catch {
      regex = null;
    }
  }
  if (compiled.size > 1_000) compiled.clear();
  compiled.set(pattern, regex);
  return regex ?? undefined;
}

/** Whether `text` mentions the agent by one of `patterns`. */
export function matchesMentionPattern(text: string, patterns: readonly string[]): boolean {
  const scanned = text.slice(0, MAX_SCANNED_CHARS);
  return patterns
    .slice(0, MAX_PATTERNS)
    .some((pattern) => compileMentionPattern(pattern)?.test(scanned) === true);
}
