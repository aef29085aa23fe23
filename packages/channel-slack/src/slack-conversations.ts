import type { webApi } from "@slack/bolt";

// Users a bot talks to; the cap bounds memory in a large workspace.
const CACHE_LIMIT = 2000;
const USER_ID = /^[UW][A-Z0-9]+$/;

/**
 * Turns a delivery target into a conversation id. A DM's peer is the user (`U…`), which chat.postMessage accepts but
 * chat.update, chat.delete, reactions.* and file shares do not: they need the IM channel (`D…`), learned from the
 * user's own DMs and the bot's posts, else opened with conversations.open (im:write).
 */
export class SlackConversations {
  private readonly imOfUser = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  /** Remembers that `channel` is the bot's IM with `user`. */
  learn(user: string, channel: string): void {
    if (!USER_ID.test(user) || !channel.startsWith("D")) return;
    if (this.imOfUser.size >= CACHE_LIMIT) this.imOfUser.delete(this.imOfUser.keys().next().value as string);
    this.imOfUser.set(user, channel);
  }

  async resolve(to: string): Promise<string> {
    if (!USER_ID.test(to)) return to;
    const known = this.imOfUser.get(to);
    if (known !== undefined) return known;
    const opened = await this.client.conversations.open({ users: to });
    const channel = opened.channel?.id;
    if (channel === undefined) return to;
    this.learn(to, channel);
    return channel;
  }
}
