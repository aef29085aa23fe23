import { GatewayError } from "@openclaw/protocol";
import type { ChannelAccountRuntimeSnapshot } from "../channels/index.js";
import { IdempotencyCache } from "../chat/idempotency-cache.js";
import type { GatewayRuntime } from "../server/gateway-runtime.js";
import type { MethodHandlers } from "../server/method-registry.js";

const accountIds = (snapshots: ChannelAccountRuntimeSnapshot[]) =>
  snapshots.map((snapshot) => snapshot.accountId);

/** `send` results by idempotency key: a retried send never delivers the message twice. */
const sends = new WeakMap<GatewayRuntime, IdempotencyCache<Promise<{ messageIds: string[] }>>>();

function sendCache(runtime: GatewayRuntime) {
  let cache = sends.get(runtime);
  if (!cache) {
    cache = new IdempotencyCache();
    sends.set(runtime, cache);
  }
  return cache;
}

export const channelMethods: Pick<
  MethodHandlers,
  | "channels.status"
  | "channels.start"
  | "channels.stop"
  | "channels.logout"
  | "channels.pairing.list"
  | "channels.pairing.approve"
  | "send"
> = {
  "channels.status": (params, { runtime }) => runtime.channels.status(params ?? {}),
  "channels.start": async ({ channel, accountId }, { runtime }) => ({
    ok: true as const,
    channel,
    accountIds: accountIds(await runtime.channels.startChannel(channel, accountId)),
  }),
  "channels.stop": async ({ channel, accountId }, { runtime }) => ({
    ok: true as const,
    channel,
    accountIds: accountIds(await runtime.channels.stopChannel(channel, accountId)),
  }),
  "channels.logout": async ({ channel, accountId }, { runtime }) => {
    const result = await runtime.channels.logout(channel, accountId);
    return { ok: true as const, channel, accountIds: result.accountIds };
  },
  "channels.pairing.list": (params, { runtime }) => {
    const requests = runtime.pairing
      .list(params?.channel)
      .filter((request) => params?.accountId === undefined || request.accountId === params.accountId);
    const label = (channel: string) => runtime.plugins.channelMeta(channel).label;
    const accounts = new Map<
      string,
      { channel: string; channelLabel: string; accountId: string; notifySupported: boolean }
    >();
    for (const request of requests) {
      accounts.set(`${request.channel}\u0000${request.accountId}`, {
        channel: request.channel,
        channelLabel: label(request.channel),
        accountId: request.accountId,
        notifySupported: true,
      });
    }
    return {
      accounts: [...accounts.values()],
      requests: requests.map((request) => ({
        requestId: request.code,
        channel: request.channel,
        channelLabel: label(request.channel),
        accountId: request.accountId,
        senderId: request.senderId,
        senderLabel: request.senderName ?? request.senderId,
        createdAt: new Date(request.createdAt).toISOString(),
        lastSeenAt: new Date(request.lastSeenAt).toISOString(),
        expiresAt: new Date(request.expiresAt).toISOString(),
        notifySupported: true,
      })),
      commandOwnerConfigured: false,
      limits: {
        pendingPerAccount: runtime.pairingLimits.pendingPerAccount,
        ttlMs: runtime.pairingLimits.ttlMs,
      },
    };
  },
  "channels.pairing.approve": async ({ channel, accountId, requestId, notify }, { runtime }) => {
    const pending = runtime.pairing.list(channel).find((request) => request.code === requestId.toUpperCase());
    if (pending && accountId !== undefined && pending.accountId !== accountId) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `pairing code ${requestId} belongs to account "${pending.accountId}"`,
        {
          details: { code: "PAIRING_ACCOUNT_MISMATCH" },
        },
      );
    }
    const approved = runtime.pairing.approve(channel, requestId);
    let notification: "not-requested" | "sent" | "failed" = "not-requested";
    if (notify) {
      notification = await runtime.channels
        .send({
          channel,
          accountId: approved.accountId,
          to: approved.senderId,
          message: "You're approved: send your message again and the assistant will answer.",
        })
        .then(
          () => "sent" as const,
          () => "failed" as const,
        );
    }
    runtime.logger.info("pairing approved", {
      channel,
      accountId: approved.accountId,
      senderId: approved.senderId,
    });
    return {
      requestId,
      senderId: approved.senderId,
      notification,
      commandOwnerBootstrap: "not-requested" as const,
    };
  },
  send: async ({ to, message, channel, accountId, threadId, idempotencyKey }, { runtime }) => {
    const status = await runtime.channels.status(channel ? { channel } : {});
    const target =
      channel ??
      status.channelOrder.find(
        (id) => (status.channels[id] as { running?: boolean } | undefined)?.running === true,
      );
    if (!target) {
      throw new GatewayError(
        "INVALID_REQUEST",
        "no channel is running to send through: pass `channel` or start one",
        {
          details: { code: "CHANNEL_NOT_RUNNING" },
        },
      );
    }
    const account = accountId ?? status.channelDefaultAccountId[target] ?? "default";
    const cacheKey = `${target}\u0000${account}\u0000${idempotencyKey}`;
    const cache = sendCache(runtime);
    const seen = cache.get(cacheKey);
    if (seen) {
      const first = await seen;
      return {
        ok: true as const,
        channel: target,
        accountId: account,
        to,
        messageIds: first.messageIds,
        deduped: true,
      };
    }
    const sending = runtime.channels.send({
      channel: target,
      accountId: account,
      to,
      message,
      ...(threadId ? { threadId } : {}),
    });
    cache.set(cacheKey, sending);
    sending.catch(() => cache.forget(cacheKey));
    const result = await sending;
    return { ok: true as const, channel: target, accountId: account, to, messageIds: result.messageIds };
  },
};
