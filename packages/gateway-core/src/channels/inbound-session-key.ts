import type { InboundMessage } from "@openclaw/plugin-sdk";
import {
  buildGroupSessionKey,
  buildMainSessionKey,
  buildPeerSessionKey,
  type DmScope,
} from "@openclaw/sessions";

/** The `session` settings that decide which session an inbound message belongs to. */
export interface SessionRouting {
  dmScope: DmScope;
  mainKey: string;
  /** `"main"` puts group chats into the agent's main session, as OpenClaw's `session.groupScope`. */
  groupScope?: string;
  /** `session.identityLinks`: one person's ids on several channels share their DM session. */
  identityLinks?: Readonly<Record<string, readonly string[]>>;
}

/**
 * OpenClaw's session key of an inbound message: DMs by `dmScope` (with identity links), groups and channels by
 * their chat (or the main session under `groupScope: "main"`), threads appended.
 */
export function inboundSessionKey(message: InboundMessage, agentId: string, session: SessionRouting): string {
  if (message.chatKind === "dm") {
    return buildPeerSessionKey({
      agentId,
      channel: message.channel,
      accountId: message.accountId,
      peerId: message.sender.id,
      dmScope: session.dmScope,
      mainKey: session.mainKey,
      ...(session.identityLinks ? { identityLinks: session.identityLinks } : {}),
      ...(message.threadId ? { threadId: message.threadId } : {}),
    });
  }
  if (session.groupScope === "main") return buildMainSessionKey(agentId, session.mainKey);
  return buildGroupSessionKey({
    agentId,
    channel: message.channel,
    id: message.chatId ?? message.peer.id,
    kind: "group",
    ...(message.threadId ? { threadId: message.threadId } : {}),
  });
}
