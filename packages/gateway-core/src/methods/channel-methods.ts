import type { ChannelAccountRuntimeSnapshot } from "../channels/index.js";
import type { MethodHandlers } from "../runtime/method-registry.js";

const accountIds = (snapshots: ChannelAccountRuntimeSnapshot[]) =>
  snapshots.map((snapshot) => snapshot.accountId);

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
    const approved = await runtime.channels.approvePairing({
      channel,
      code: requestId,
      ...(accountId ? { accountId } : {}),
      ...(notify ? { notify } : {}),
    });
    runtime.logger.info("pairing approved", {
      channel,
      accountId: approved.accountId,
      senderId: approved.senderId,
    });
    return {
      requestId,
      senderId: approved.senderId,
      notification: approved.notification,
      commandOwnerBootstrap: "not-requested" as const,
    };
  },
  send: async (params, { runtime }) => {
    const { to, message, channel, accountId, threadId, replyToId, idempotencyKey, agentId } = params;
    const mediaUrls = [...(params.mediaUrl ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])];
    const sent = await runtime.channels.send({
      to,
      message: message ?? "",
      idempotencyKey,
      ...(channel ? { channel } : {}),
      ...(accountId ? { accountId } : {}),
      ...(threadId ? { threadId } : {}),
      ...(replyToId ? { replyToId } : {}),
      ...(mediaUrls.length > 0 ? { mediaUrls } : {}),
      ...(params.asVoice || params.forceDocument
        ? { presentation: { asVoice: params.asVoice === true, forceDocument: params.forceDocument === true } }
        : {}),
      ...(agentId ? { agentId } : {}),
    });
    return { ok: true as const, ...sent };
  },
};
