export interface DetectMentionOptions {
  /** The bot's handle without the "@", e.g. "openclaw_bot"; matched case-insensitively as a whole word. */
  botUsername?: string;
  /** The bot's platform user id; matched in mention entities and in `<@id>` / `<@!id>` markup (Slack, Discord). */
  botId?: string | number;
  /**
   * The platform's mention entities, when it sends them (Telegram `message.entities`): `{ type: "mention", offset,
   * length }` spans of the text (UTF-16 offsets) and `{ type: "text_mention", user: { id } }`.
   */
  entities?: readonly unknown[];
}

interface MentionEntity {
  type?: unknown;
  offset?: unknown;
  length?: unknown;
  user?: { id?: unknown } | null;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function entityMentions(
  text: string,
  entity: MentionEntity,
  username: string | undefined,
  botId: string | undefined,
) {
  if (entity.type === "text_mention") return botId !== undefined && String(entity.user?.id) === botId;
  if (entity.type !== "mention" || username === undefined) return false;
  if (typeof entity.offset !== "number" || typeof entity.length !== "number") return false;
  const span = text.slice(entity.offset, entity.offset + entity.length);
  return span.toLowerCase() === `@${username.toLowerCase()}`;
}

/**
 * Whether a message mentions the bot: `@botUsername` as a whole word (case-insensitive; an e-mail address such as
 * `ops@botname.dev` or a longer handle such as `@botname_old` does not count), `<@botId>` / `<@!botId>` markup, or
 * a platform mention entity pointing at the bot. Replies to the bot are the adapter's to detect.
 */
export function detectMention(text: string, options: DetectMentionOptions): boolean {
  const username = options.botUsername?.replace(/^@/, "") || undefined;
  const botId = options.botId === undefined || options.botId === "" ? undefined : String(options.botId);
  for (const entity of options.entities ?? []) {
    if (entity !== null && typeof entity === "object" && entityMentions(text, entity, username, botId))
      return true;
  }
  if (username !== undefined) {
    const handle = new RegExp(`(?<![\\p{L}\\p{N}_@])@${escapeRegExp(username)}(?![\\p{L}\\p{N}_])`, "iu");
    if (handle.test(text)) return true;
  }
  return botId !== undefined && (text.includes(`<@${botId}>`) || text.includes(`<@!${botId}>`));
}
