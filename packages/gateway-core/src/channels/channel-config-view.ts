import { resolveChannelAccounts } from "@openclaw/plugin-sdk";
import { ChannelError } from "./channel-error.js";

export const DEFAULT_ACCOUNT_ID = "default";

export interface ConfiguredAccount {
  accountId: string;
  config: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The channel manager's read of `channels.<id>` in the live config. It reads the config on every call, so a reload
 * counts at once; nothing here keeps state.
 */
export class ChannelConfigView {
  readonly #channels: () => unknown;

  constructor(channels: () => unknown) {
    this.#channels = channels;
  }

  /** The channel's config section, or undefined when the channel is not configured. */
  section(channel: string): Record<string, unknown> | undefined {
    const channels = this.#channels();
    if (!isObject(channels)) return undefined;
    const section = channels[channel];
    return isObject(section) ? section : undefined;
  }

  isConfigured(channel: string): boolean {
    return this.section(channel) !== undefined;
  }

  /** False only when the section says `enabled: false`. */
  isEnabled(channel: string): boolean {
    return this.section(channel)?.enabled !== false;
  }

  /** The channel's accounts (`accounts.<id>` merged over the base section); throws for a malformed section. */
  accounts(channel: string): ConfiguredAccount[] {
    return resolveChannelAccounts(this.section(channel));
  }

  /** The accounts a (re)start of the channel runs: configured, enabled, in an enabled section; none if malformed. */
  restartingAccounts(channel: string): string[] {
    if (!this.isConfigured(channel) || !this.isEnabled(channel)) return [];
    try {
      return this.accounts(channel)
        .filter((account) => account.config.enabled !== false)
        .map((account) => account.accountId);
    } catch {
      return [];
    }
  }

  /** `defaultAccount` when it names one of `accounts`, else "default" when present, else the first. */
  defaultAccountId(channel: string, accounts: readonly { accountId: string }[]): string {
    const preferred = this.section(channel)?.defaultAccount;
    if (typeof preferred === "string" && accounts.some((a) => a.accountId === preferred)) return preferred;
    if (accounts.length === 0 || accounts.some((a) => a.accountId === DEFAULT_ACCOUNT_ID))
      return DEFAULT_ACCOUNT_ID;
    return accounts[0]?.accountId ?? DEFAULT_ACCOUNT_ID;
  }
}

export function unknownAccountError(channel: string, accountId: string): ChannelError {
  return new ChannelError(
    "CHANNEL_ACCOUNT_UNKNOWN",
    `channel "${channel}" has no account "${accountId}": add channels.${channel}.accounts.${accountId} or pick a configured account`,
    { channel },
  );
}
