import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import { DiscordChannelError } from "./discord-channel-error.js";

/** Gateway close codes after which discord.js gives up (it reports them through `shardDisconnect`). */
const CLOSE_CODE_ADVICE: Record<number, { code: DiscordChannelError["code"]; advice: string }> = {
  4004: {
    code: "DISCORD_UNAUTHORIZED",
    advice:
      "the bot token was rejected: reset it in the Developer Portal and set channels.discord.token again",
  },
  4010: { code: "DISCORD_GATEWAY_CLOSED", advice: "invalid shard: this adapter runs one shard; report it" },
  4011: {
    code: "DISCORD_GATEWAY_CLOSED",
    advice: "sharding required: the bot is in too many guilds for one connection",
  },
  4012: { code: "DISCORD_GATEWAY_CLOSED", advice: "invalid API version: upgrade @openclaw/channel-discord" },
  4013: { code: "DISCORD_GATEWAY_CLOSED", advice: "invalid intents: upgrade @openclaw/channel-discord" },
  4014: {
    code: "DISCORD_DISALLOWED_INTENTS",
    advice:
      "disallowed intents: enable Message Content Intent under Bot > Privileged Gateway Intents in the Developer Portal",
  },
};

/** The failure for a gateway closed with a code discord.js does not recover from. */
export function gatewayClosedError(closeCode: number, accountId: string): DiscordChannelError {
  const known = CLOSE_CODE_ADVICE[closeCode];
  return new DiscordChannelError(
    known?.code ?? "DISCORD_GATEWAY_CLOSED",
    `Discord closed the gateway for account "${accountId}" with code ${closeCode}: ` +
      (known?.advice ?? "the connection cannot be resumed; the gateway restarts the account"),
  );
}

function errorCode(error: unknown): unknown {
  return error !== null && typeof error === "object" && "code" in error ? error.code : undefined;
}

/** Maps whatever discord.js threw to a {@link DiscordChannelError} whose message names the fix. */
export function toDiscordChannelError(error: unknown, accountId: string): DiscordChannelError {
  if (error instanceof DiscordChannelError) return error;
  if (errorCode(error) === "TokenInvalid" || (error instanceof DiscordAPIError && error.status === 401)) {
    return new DiscordChannelError(
      "DISCORD_UNAUTHORIZED",
      `Discord rejected the bot token of account "${accountId}" (401): copy the token again from the Developer ` +
        "Portal (Bot > Reset Token) into channels.discord.token",
      { cause: error },
    );
  }
  if (errorCode(error) === "DisallowedIntents") return gatewayClosedError(4014, accountId);
  if (error instanceof DiscordAPIError && (error.status === 413 || error.code === 40005)) {
    return new DiscordChannelError(
      "DISCORD_MEDIA_TOO_LARGE",
      "Discord refused the upload as too large (413): the server's upload limit is lower (10 MiB without boosts); " +
        "send a smaller file or a link",
      { cause: error },
    );
  }
  if (error instanceof DiscordAPIError) {
    const advice =
      error.status === 403
        ? "the bot lacks permission there: grant it View Channel and Send Messages in that channel"
        : error.status === 404
          ? "the channel or message does not exist or the bot cannot see it"
          : "see the Discord error above";
    return new DiscordChannelError(
      "DISCORD_API_ERROR",
      `Discord API ${error.method.toUpperCase()} failed with ${error.status} (code ${error.code}: ${error.message}): ${advice}`,
      { cause: error },
    );
  }
  if (error instanceof RateLimitError) {
    return new DiscordChannelError(
      "DISCORD_API_ERROR",
      `Discord rate limited ${error.method.toUpperCase()} ${error.route} for ${error.timeToReset} ms: the bot sends too fast`,
      { cause: error },
    );
  }
  if (error instanceof HTTPError) {
    return new DiscordChannelError(
      "DISCORD_API_ERROR",
      `Discord API ${error.method.toUpperCase()} failed with HTTP ${error.status}: Discord may be down; the gateway retries`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new DiscordChannelError(
    "DISCORD_NETWORK_ERROR",
    `cannot reach Discord for account "${accountId}" (${detail}): check the network and channels.discord.apiBaseUrl`,
    { cause: error },
  );
}
