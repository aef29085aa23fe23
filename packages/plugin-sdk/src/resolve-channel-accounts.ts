import { PluginError } from "./plugin-error.js";

/** One account of a channel: its id and its config as the plugin's `configSchema` receives it. */
export interface ChannelAccount {
  accountId: string;
  config: Record<string, unknown>;
}

/** The account id of a channel section without `accounts`. */
export const DEFAULT_ACCOUNT_ID = "default";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Expands a `channels.<id>` config section into its accounts. Without `accounts` (or with an empty one) the section
 * is the single account `default`. With `accounts.<accountId>` each account's config is the section's own keys
 * (minus `accounts`) overlaid by that account's keys, one level deep: an account's `groups` replaces the section's.
 * An account with `enabled: false` stays in the list; deciding to skip it is the caller's job. A missing section
 * yields no accounts. Throws {@link PluginError} `PLUGIN_CONFIG_INVALID` for a section or account that is not an
 * object.
 */
export function resolveChannelAccounts(section: unknown): ChannelAccount[] {
  if (section === undefined || section === null) return [];
  if (!isPlainObject(section)) {
    throw new PluginError(
      "PLUGIN_CONFIG_INVALID",
      `a channels.<id> section must be an object, got ${Array.isArray(section) ? "an array" : typeof section}: fix it in openclaw.json`,
      { issues: [{ path: "(root)", message: "must be an object" }] },
    );
  }
  const { accounts, ...base } = section;
  if (accounts === undefined || (isPlainObject(accounts) && Object.keys(accounts).length === 0)) {
    return [{ accountId: DEFAULT_ACCOUNT_ID, config: base }];
  }
  if (!isPlainObject(accounts)) {
    throw new PluginError(
      "PLUGIN_CONFIG_INVALID",
      "channels.<id>.accounts must be an object keyed by account id, e.g. { work: { ... } }: fix it in openclaw.json",
      { issues: [{ path: "accounts", message: "must be an object" }] },
    );
  }
  return Object.entries(accounts).map(([accountId, account]) => {
    if (!isPlainObject(account)) {
      throw new PluginError(
        "PLUGIN_CONFIG_INVALID",
        `channels.<id>.accounts.${accountId} must be an object (use { enabled: false } to turn it off): fix it in openclaw.json`,
        { issues: [{ path: `accounts.${accountId}`, message: "must be an object" }] },
      );
    }
    return { accountId, config: { ...base, ...account } };
  });
}
