import type { ChannelLogger } from "@openclaw/plugin-sdk";
import { type Logger, LogLevel } from "@slack/bolt";

function join(messages: unknown[]): string {
  return messages.map((message) => (typeof message === "string" ? message : String(message))).join(" ");
}

/**
 * Bolt's, socket-mode's and web-api's logging into the account's logger. Their "error" lines are about failures
 * this channel handles and reports itself (a dropped socket, a failed call), so they arrive as warnings.
 */
export function boltLogger(logger: ChannelLogger): Logger {
  return {
    debug: (...messages: unknown[]) => logger.debug(join(messages), { source: "bolt" }),
    info: (...messages: unknown[]) => logger.debug(join(messages), { source: "bolt" }),
    warn: (...messages: unknown[]) => logger.warn(join(messages), { source: "bolt" }),
    error: (...messages: unknown[]) => logger.warn(join(messages), { source: "bolt" }),
    setLevel: () => undefined,
    // INFO keeps the libraries from building their per-request debug dumps, which would go unread.
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
