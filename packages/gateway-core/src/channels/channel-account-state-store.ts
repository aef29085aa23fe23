import {
  CHANNEL_STATE_KEY_PATTERN,
  type ChannelAccountState,
  MAX_CHANNEL_STATE_VALUE_BYTES,
} from "@openclaw/plugin-sdk";
import { type StateTables, tableKey } from "../state/table-mirror.js";
import { ChannelError } from "./channel-error.js";

/** The storage table holding every channel account's durable values (`ctx.state`). */
export const CHANNEL_STATE_TABLE = "channel.state";

/** The row key of one value: the OpenClaw state import writes Telegram's update offset under the same key. */
export function channelStateRowKey(channel: string, accountId: string, key: string): string {
  return tableKey("state", channel, accountId, key);
}

function checkKey(channel: string, key: string): void {
  if (!CHANNEL_STATE_KEY_PATTERN.test(key)) {
    throw new ChannelError(
      "CHANNEL_STATE_INVALID",
      `channel state key ${JSON.stringify(key.slice(0, 140))} is not allowed: use 1-128 letters, digits and . _ : -`,
      { channel },
    );
  }
}

/**
 * `ctx.state` for each account, kept in the storage port (SQLite by default, PostgreSQL in a cluster), so cursors
 * survive restarts. Values are checked to be JSON and small before anything is written.
 */
export function createChannelAccountStateStore(
  storage: StateTables,
): (channel: string, accountId: string) => ChannelAccountState {
  const table = storage.table<unknown>(CHANNEL_STATE_TABLE);
  return (channel, accountId) => ({
    async get(key) {
      checkKey(channel, key);
      return (await table.get(channelStateRowKey(channel, accountId, key)))?.value;
    },
    async set(key, value) {
      checkKey(channel, key);
      const json = JSON.stringify(value);
      if (json === undefined) {
        throw new ChannelError("CHANNEL_STATE_INVALID", `channel state ${key}: the value must be JSON`, {
          channel,
        });
      }
      if (Buffer.byteLength(json) > MAX_CHANNEL_STATE_VALUE_BYTES) {
        throw new ChannelError(
          "CHANNEL_STATE_INVALID",
          `channel state ${key}: ${Buffer.byteLength(json)} bytes is over the ${MAX_CHANNEL_STATE_VALUE_BYTES}-byte limit; keep cursors, not data`,
          { channel },
        );
      }
      await table.put(channelStateRowKey(channel, accountId, key), JSON.parse(json));
    },
  });
}
