import { normalizeAgentId, normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import type { ToolPolicyContext } from "@openclaw/tools/config";
import { ToolInvokeError } from "./tool-invoke-error.js";

export type ConversationContext = Omit<ToolPolicyContext, "agentId" | "provider" | "model">;

/**
 * What a session key says about the conversation it belongs to: the channel, and for a group its id (and forum
 * topic), for a direct chat its peer (the sender). The key is built by the gateway from what the channel reported,
 * so it is trusted; a main, cron or hook session names no conversation.
 */
export function conversationFromSessionKey(sessionKey: string, mainKey?: string): ConversationContext {
  const parsed = parseSessionKey(sessionKey, mainKey ? { mainKey } : {});
  if (!parsed?.chatType) return {};
  const context: ConversationContext = { chatType: parsed.chatType };
  if (parsed.channel) context.channel = parsed.channel;
  if (parsed.accountId) context.accountId = parsed.accountId;
  if (parsed.chatType === "direct") {
    if (parsed.peerId) context.senderId = parsed.peerId;
  } else {
    if (parsed.peerId) context.groupId = parsed.peerId;
    if (parsed.threadId) context.threadId = parsed.threadId;
  }
  return context;
}

export interface SessionTarget {
  sessionKey: string;
  agentId: string;
}

/**
 * The session a direct call or an inventory request is about: `sessionKey` (default and `"main"`: the agent's main
 * session, `agent:<agentId>:main`, as OpenClaw resolves it) and the agent owning it. An `agentId` that contradicts
 * the key's agent is refused rather than silently picking one.
 */
export function resolveSessionTarget(
  request: { sessionKey?: string; agentId?: string },
  defaultAgentId: string,
): SessionTarget {
  const requestedAgent = request.agentId ? normalizeAgentId(request.agentId) : undefined;
  let sessionKey: string;
  try {
    sessionKey = normalizeSessionKey(request.sessionKey ?? "main", {
      agentId: requestedAgent ?? defaultAgentId,
    });
  } catch (error) {
    throw new ToolInvokeError("INVALID_REQUEST", (error as Error).message);
  }
  const keyAgent = parseSessionKey(sessionKey)?.agentId;
  if (requestedAgent && keyAgent && keyAgent !== requestedAgent) {
    throw new ToolInvokeError(
      "INVALID_REQUEST",
      `agent id "${requestedAgent}" does not match session agent "${keyAgent}": drop agentId or use a session key of that agent`,
    );
  }
  return { sessionKey, agentId: keyAgent ?? requestedAgent ?? defaultAgentId };
}
