/** Largest JSON value (serialised, in bytes) one state key may hold: room for a cursor, not for message data. */
export const MAX_CHANNEL_STATE_VALUE_BYTES = 16 * 1024;

/** State keys: short, printable, namespaced by the plugin (e.g. `telegram.update-offset`). */
export const CHANNEL_STATE_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * A few durable values one channel account keeps across restarts (Telegram's update offset, a resume cursor), kept
 * by the gateway in its storage and scoped to this channel and account. Values are JSON; a write resolves once it is
 * durable. Not for message contents or caches: each value is at most `MAX_CHANNEL_STATE_VALUE_BYTES`.
 */
export interface ChannelAccountState {
  /** The stored value, or undefined when the key was never set. */
  get(key: string): Promise<unknown>;
  /** Replaces the value; rejects a key outside `CHANNEL_STATE_KEY_PATTERN` or a value past the size limit. */
  set(key: string, value: unknown): Promise<void>;
}
