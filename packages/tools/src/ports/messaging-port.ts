/**
 * What the `message` tool needs from a gateway: one outbound send through the channel a reply would use. The
 * implementation applies the same access rules as replies (a target the account's policy would not accept a message
 * from is refused with `ToolError` DENIED) and throws `ToolError` UNAVAILABLE when the channel is not running.
 */
export interface OutboundMessage {
  /** The session of the calling run; without `to` the message goes to that session's own conversation. */
  requesterSessionKey: string;
  requesterAgentId: string;
  /** Channel id (`telegram`, `slack`, ...); may be omitted when it follows from the target or the session. */
  channel?: string;
  accountId?: string;
  /** A peer or chat id as the channel reports it. */
  to?: string;
  threadId?: string;
  /** The platform message id the first part replies to. */
  replyTo?: string;
  /** May be empty when `media` carries the message. */
  text: string;
  /**
   * Files to send after the text as native photos, voice notes, videos or documents: http(s) URLs, data URLs, or
   * paths (relative ones in the calling agent's workspace).
   */
  media?: string[];
  /** Audio as a voice note (OpenClaw's `asVoice`). */
  asVoice?: boolean;
  /** Media as a document, uncompressed (OpenClaw's `forceDocument`). */
  forceDocument?: boolean;
  /** Check target and access and report where the message would go, without sending. */
  dryRun?: boolean;
  /** A retry with the same key returns the first send's result instead of sending again. */
  idempotencyKey?: string;
}

export interface OutboundReceipt {
  channel: string;
  accountId: string;
  to: string;
  threadId?: string;
  /** The platform ids of the parts sent (long texts are split at the platform's limit); empty for a dry run. */
  messageIds: string[];
  dryRun?: boolean;
}

export interface MessagingPort {
  send(message: OutboundMessage): Promise<OutboundReceipt>;
}
