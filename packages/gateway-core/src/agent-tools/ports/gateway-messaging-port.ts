import type { SenderIdSpelling } from "@openclaw/plugin-sdk";
import type { MessagingPort, OutboundMessage, OutboundReceipt } from "@openclaw/tools/config";
import { ToolError } from "@openclaw/tools/config";
import { ChannelError } from "../../channels/channel-error.js";
import type { OutboundSendRequest, OutboundSendResult } from "../../channels/channel-outbound.js";
import type { PairingStore } from "../../channels/pairing-store.js";
import { accountConfigOf, decideOutboundAccess, defaultAccountIdOf } from "./outbound-access.js";
import type { ConversationRoute } from "./session-info.js";

export interface GatewayMessagingDeps {
  /** The channel manager's outbound path (chunking, idempotency, running-account check). */
  channels: { send(request: OutboundSendRequest): Promise<OutboundSendResult> };
  /** How a channel's platform spells sender ids (its plugin's `senderIds`), when the plugin is loaded. */
  senderIdsOf?(channel: string): SenderIdSpelling | undefined;
  /** `channels` of the current config: the access policy of each account lives there. */
  channelsConfig(): unknown;
  pairing: Pick<PairingStore, "isApproved">;
  /** The conversation a session answers, for a message without a target. */
  routeOf(sessionKey: string): ConversationRoute | undefined;
}

export interface OutboundTarget {
  channel: string;
  accountId: string;
  to: string;
  threadId?: string;
}

/**
 * Where a message of an agent goes, checked: the named target, or the calling session's own conversation; refused
 * (ToolError DENIED) when the account's access policy would not take a message from that chat.
 */
export function resolveOutboundTarget(
  deps: Omit<GatewayMessagingDeps, "channels">,
  request: Pick<OutboundMessage, "requesterSessionKey" | "channel" | "accountId" | "to" | "threadId">,
): OutboundTarget {
  const config = deps.channelsConfig();
  const route = request.to === undefined ? deps.routeOf(request.requesterSessionKey) : undefined;
  if (request.to === undefined && route === undefined) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      "this session has no chat of its own to answer (it did not come from a channel): name channel and target",
    );
  }
  if (route && request.channel !== undefined && request.channel !== route.channel) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `this conversation is on ${route.channel}, not ${request.channel}: name the target to send elsewhere`,
    );
  }
  const channel = request.channel ?? route?.channel ?? onlyConfiguredChannel(config);
  const accountId = request.accountId ?? route?.accountId ?? defaultAccountIdOf(config, channel);
  const to = request.to ?? (route as ConversationRoute).to;
  const threadId = request.threadId ?? route?.threadId;
  const accountConfig = accountConfigOf(config, channel, accountId);
  if (accountConfig === undefined) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `channels.${channel} has no account "${accountId}": configure the channel first, or name another one`,
    );
  }
  const decision = decideOutboundAccess({
    channel,
    accountId,
    accountConfig,
    to,
    ...(threadId !== undefined ? { threadId } : {}),
    isPaired: (senderId) => safeIsApproved(deps.pairing, channel, accountId, senderId),
    senderIds: deps.senderIdsOf?.(channel),
  });
  if (!decision.allowed) throw new ToolError("DENIED", decision.reason);
  return { channel, accountId, to, ...(threadId !== undefined ? { threadId } : {}) };
}

/** The `message` tool's port: the channel manager's send, behind the same access rules as replies. */
export function createGatewayMessagingPort(deps: GatewayMessagingDeps): MessagingPort {
  return {
    async send(message): Promise<OutboundReceipt> {
      const target = resolveOutboundTarget(deps, message);
      if (message.dryRun) return { ...target, messageIds: [], dryRun: true };
      try {
        const sent = await deps.channels.send({
          channel: target.channel,
          accountId: target.accountId,
          to: target.to,
          message: message.text,
          ...(target.threadId !== undefined ? { threadId: target.threadId } : {}),
          ...(message.replyTo !== undefined ? { replyToId: message.replyTo } : {}),
          ...(message.idempotencyKey !== undefined ? { idempotencyKey: message.idempotencyKey } : {}),
          ...(message.media?.length ? { mediaUrls: message.media, agentId: message.requesterAgentId } : {}),
          ...(message.asVoice || message.forceDocument
            ? {
                presentation: {
                  asVoice: message.asVoice === true,
                  forceDocument: message.forceDocument === true,
                },
              }
            : {}),
        });
        return { ...target, messageIds: sent.messageIds };
      } catch (error) {
        if (error instanceof ChannelError) throw new ToolError("UNAVAILABLE", error.message);
        throw error;
      }
    },
  };
}

function onlyConfiguredChannel(config: unknown): string {
  const sections =
    typeof config === "object" && config !== null && !Array.isArray(config)
      ? Object.entries(config as Record<string, unknown>)
      : [];
  const enabled = sections
    .filter(([, section]) => (section as { enabled?: unknown } | null)?.enabled !== false)
    .map(([id]) => id);
  if (enabled.length === 1 && enabled[0] !== undefined) return enabled[0];
  throw new ToolError(
    "INVALID_ARGUMENTS",
    enabled.length === 0
      ? "no channel is configured: there is nowhere to send a message"
      : `several channels are configured (${enabled.join(", ")}): name the channel`,
  );
}

// A broken pairing file must not open access: the sender counts as not paired.
function safeIsApproved(
  pairing: Pick<PairingStore, "isApproved">,
  channel: string,
  accountId: string,
  senderId: string,
): boolean {
  try {
    return pairing.isApproved(channel, accountId, senderId);
  } catch {
    return false;
  }
}
