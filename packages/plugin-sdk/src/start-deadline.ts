import { DEFAULT_ACCOUNT_ID } from "./resolve-channel-accounts.js";

/** How long the gateway waits for `startAccount` to connect or fail before it gives the attempt up. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** Where an account connects, as a plugin's `platformEndpoint(config)` reports it. */
export interface PlatformEndpoint {
  /** The URL the platform library talks to, e.g. `https://api.telegram.org`; never one carrying a secret. */
  url: string;
  /** The key of the account's config section that sets `url` (e.g. `apiRoot`); absent when it is fixed. */
  configKey?: string;
}

/** A start that neither connected nor failed in time; the gateway reports it as `lastError` and retries. */
export class ChannelStartTimeoutError extends Error {
  override readonly name = "ChannelStartTimeoutError";
  readonly code = "CHANNEL_START_TIMEOUT";
}

/** `channels.<id>.<key>` for the default account, `channels.<id>.accounts.<account>.<key>` for the others. */
export function accountConfigPath(channelId: string, accountId: string, key: string): string {
  return accountId === DEFAULT_ACCOUNT_ID
    ? `channels.${channelId}.${key}`
    : `channels.${channelId}.accounts.${accountId}.${key}`;
}

/**
 * The error for a start that hung: it names the platform URL and the config key to check, so that "running but
 * never connected" is never silent.
 */
export function startTimeoutError(o: {
  channelId: string;
  label: string;
  accountId: string;
  timeoutMs: number;
  endpoint?: PlatformEndpoint | undefined;
}): ChannelStartTimeoutError {
  const seconds = Math.round(o.timeoutMs / 100) / 10;
  const head = `${o.label} account "${o.accountId}" neither connected nor failed within ${seconds} s`;
  const endpoint = o.endpoint;
  if (endpoint === undefined) {
    return new ChannelStartTimeoutError(
      `${head}: check that the gateway can reach ${o.label}; the gateway retries with backoff`,
    );
  }
  const fix =
    endpoint.configKey === undefined
      ? "check the network and any proxy"
      : `check that the gateway can reach it and that ${accountConfigPath(o.channelId, o.accountId, endpoint.configKey)} is right`;
  return new ChannelStartTimeoutError(
    `${head} (no answer from ${endpoint.url}): ${fix}; the gateway retries with backoff`,
  );
}
