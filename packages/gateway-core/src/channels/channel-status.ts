import type { ChannelPlugin } from "@openclaw/plugin-sdk";
import type { ChannelsStatusResult } from "@openclaw/protocol";
import { type ChannelAccountRuntimeSnapshot, emptySnapshot } from "./account-runtime.js";
import type { ChannelAccountSupervisor } from "./channel-account-supervisor.js";
import { type ChannelConfigView, type ConfiguredAccount, DEFAULT_ACCOUNT_ID } from "./channel-config-view.js";
import { describeError } from "./channel-error.js";
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  isStarting,
  probeAccount,
  probeVerdict,
  startingProbe,
} from "./channel-probe.js";
import type { PluginRegistry } from "./plugin-registry.js";

export interface ChannelStatusDeps {
  registry: PluginRegistry;
  config: ChannelConfigView;
  accounts: ChannelAccountSupervisor;
  now: () => number;
}

/**
 * The channels `channels.status` and `health` list: as in OpenClaw, those with a config section, plus any whose
 * account still runs after its section went away. A registered but unconfigured channel kind is not listed; asked
 * for by name, it is answered with `configured: false`.
 */
export function presentChannelIds(
  deps: Pick<ChannelStatusDeps, "registry" | "config" | "accounts">,
): string[] {
  const live = new Set(deps.accounts.all().map((rt) => rt.channel));
  return deps.registry.channelIds().filter((id) => deps.config.isConfigured(id) || live.has(id));
}

/** The `channels.status` result; with `probe`, each configured account's adapter is probed under a timeout. */
export async function buildChannelsStatus(
  deps: ChannelStatusDeps,
  o: { probe?: boolean; timeoutMs?: number; channel?: string },
): Promise<ChannelsStatusResult> {
  const ids = o.channel === undefined ? presentChannelIds(deps) : [o.channel];
  const result: ChannelsStatusResult = {
    ts: deps.now(),
    channelOrder: [],
    channelLabels: {},
    channels: {},
    channelAccounts: {},
    channelDefaultAccountId: {},
  };
  await Promise.all(
    ids.map(async (channel) => {
      const meta = deps.registry.channelMeta(channel);
      const accounts = accountSnapshots(deps, channel);
      if (o.probe) await probeAll(deps, channel, accounts, o.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
      result.channelLabels[channel] = meta.label;
      result.channelAccounts[channel] = accounts;
      result.channelDefaultAccountId[channel] = deps.config.defaultAccountId(channel, accounts);
      const configured = deps.config.isConfigured(channel);
      result.channels[channel] = {
        configured,
        enabled: configured && deps.config.isEnabled(channel),
        running: accounts.some((a) => a.running),
        connected: accounts.some((a) => a.connected),
        lastError: accounts.find((a) => a.lastError !== null)?.lastError ?? null,
        accounts: accounts.length,
      };
    }),
  );
  result.channelOrder = ids;
  return result;
}

/** Snapshots for every configured account plus any still-running one that left the config. */
export function accountSnapshots(
  deps: Pick<ChannelStatusDeps, "config" | "accounts">,
  channel: string,
): ChannelAccountRuntimeSnapshot[] {
  let configured: ConfiguredAccount[] = [];
  let configError: string | undefined;
  try {
    configured = deps.config.accounts(channel);
  } catch (error) {
    configError = describeError(error);
  }
  const out = configured.map(({ accountId, config }) => {
    const rt = deps.accounts.get(channel, accountId);
    if (rt) return { ...rt.snapshot };
    return {
      ...emptySnapshot(accountId),
      enabled: config.enabled !== false && deps.config.isEnabled(channel),
    };
  });
  for (const rt of deps.accounts.all()) {
    if (rt.channel === channel && !out.some((s) => s.accountId === rt.accountId))
      out.push({ ...rt.snapshot });
  }
  if (configError !== undefined && out.length === 0) {
    out.push({ ...emptySnapshot(DEFAULT_ACCOUNT_ID), lastError: configError });
  }
  return out;
}

async function probeAll(
  deps: ChannelStatusDeps,
  channel: string,
  accounts: ChannelAccountRuntimeSnapshot[],
  timeoutMs: number,
): Promise<void> {
  let plugin: ChannelPlugin;
  try {
    plugin = await deps.registry.getChannel(channel);
  } catch (error) {
    for (const account of accounts) account.probe = { ok: false, detail: describeError(error) };
    return;
  }
  if (plugin.probe === undefined) return;
  await Promise.all(
    accounts
      .filter((account) => account.enabled)
      .map(async (account) => {
        const rt = deps.accounts.get(channel, account.accountId);
        if (rt !== undefined && isStarting(rt)) {
          account.probe = startingProbe(rt.snapshot, deps.now());
          return;
        }
        const probe = await probeAccount(plugin, account.accountId, timeoutMs);
        const verdict = rt === undefined ? undefined : probeVerdict(rt, probe);
        if (rt !== undefined && verdict !== undefined) {
          deps.accounts.patch(rt, verdict);
          Object.assign(account, rt.snapshot);
        }
        account.probe = probe;
      }),
  );
}
