import type { ChannelLogger } from "@openclaw/plugin-sdk";
import type { webApi } from "@slack/bolt";

// Names change rarely; the cap bounds memory in a large workspace.
const CACHE_LIMIT = 2000;

function remember(cache: Map<string, string | undefined>, key: string, value: string | undefined): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/**
 * Display names for senders (users.info) and channels (conversations.info), looked up once each. A failed lookup
 * (e.g. a missing users:read scope) only leaves the name out.
 */
export class SlackNames {
  private readonly users = new Map<string, string | undefined>();
  private readonly channels = new Map<string, string | undefined>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: ChannelLogger,
  ) {}

  async user(id: string): Promise<string | undefined> {
    if (id === "") return undefined;
    if (this.users.has(id)) return this.users.get(id);
    let name: string | undefined;
    try {
      const { user } = await this.client.users.info({ user: id });
      name = user?.profile?.display_name || user?.real_name || user?.name || undefined;
    } catch (error) {
      this.logger.debug("slack users.info failed; the sender stays unnamed", {
        user: id,
        error: String(error),
      });
    }
    remember(this.users, id, name);
    return name;
  }

  async channel(id: string): Promise<string | undefined> {
    if (id === "") return undefined;
    if (this.channels.has(id)) return this.channels.get(id);
    let name: string | undefined;
    try {
      const { channel } = await this.client.conversations.info({ channel: id });
      name = channel?.name ? `#${channel.name}` : undefined;
    } catch (error) {
      this.logger.debug("slack conversations.info failed; the channel stays unnamed", {
        channel: id,
        error: String(error),
      });
    }
    remember(this.channels, id, name);
    return name;
  }
}
