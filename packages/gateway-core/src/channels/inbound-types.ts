import type { AgentRunEvent, AgentRunResult } from "@openclaw/agent";
import type {
  ChannelPlugin,
  InboundMessage,
  InboundReaction,
  NativeCommand,
  SenderIdSpelling,
} from "@openclaw/plugin-sdk";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import type { Logger } from "../logging/logger.js";

/** The part of `ChatService` the router needs: one agent turn per accepted message. */
export interface ChatStarter {
  start(request: ChatTurnRequest): { runId: string; sessionKey: string; done: Promise<AgentRunResult> };
  /**
   * Follows one run's events (streamed text, tool calls) until the returned function is called: what live drafts
   * grow from. Without it, answers are sent whole when the run ends.
   */
  subscribeRun?(runId: string, listener: (event: AgentRunEvent) => void): () => void;
}

/** One running channel account, as the router sees it. */
export interface InboundAccount {
  plugin: ChannelPlugin;
  accountId: string;
  /** The account's resolved config (channel root overlaid with the account): the access-policy keys live here. */
  config: Record<string, unknown>;
  logger: Logger;
  /** False once the account was stopped: replies of runs still in flight are not delivered then. */
  isActive(): boolean;
  onInbound(at: number): void;
  onOutbound(at: number): void;
  /** A plugin call failed while handling a message: the manager restarts the account. */
  onFatal(error: unknown): void;
}

/** Where a session's last inbound message came from: where a reply that no message asked for (a sub-agent's
 * result, a `message` tool call without a target) goes, as OpenClaw's lastChannel/lastTo. */
export interface ChatRoute {
  channel: string;
  accountId: string;
  to: string;
  threadId?: string;
}

/** One accepted inbound message on its way to the agent: where it goes and how to answer in its chat. */
export interface InboundTurnContext {
  account: InboundAccount;
  message: InboundMessage;
  agentId: string;
  sessionKey: string;
  /** Sends text to the chat the message came from (chunked; the first part replies to the message). */
  reply(text: string): Promise<void>;
}

/**
 * In-chat commands (`/new`, `/stop`, ...). Called for every accepted message before a turn starts; `true` means
 * the command was handled (and answered) and no turn runs; `{ followUp }` means it was handled and a turn runs with
 * that text instead of the message's (OpenClaw's `/new hello there`).
 */
export interface InboundCommandHandler {
  handle(context: InboundTurnContext): Promise<boolean | { followUp: string }>;
  /**
   * A command that must act while a turn of the same chat runs (`/stop`, `/status`): the router handles it outside
   * the chat's queue (after the access policy). Without it every message waits its turn.
   */
  isImmediate?(message: InboundMessage): boolean;
  /** A command from a sender allowed to run it counts as addressed to the bot in a group (no mention needed). */
  addressesBot?(
    message: InboundMessage,
    accountConfig: Record<string, unknown>,
    nativeChannel: boolean,
    senderIds?: SenderIdSpelling,
  ): boolean;
  /** What an account registers natively (`ChannelAccountContext.commands`); undefined when that is switched off. */
  nativeCommands?(channel: string, accountConfig: Record<string, unknown>): NativeCommand[] | undefined;
}

/** What the agent receives for one message once its media was fetched, stored and understood. */
export interface PreparedInbound {
  /** The message text, with transcripts, extracted document text and notes about media folded in. */
  text: string;
  /** Media handed to the turn (images for vision models, references to stored files). */
  attachments: NonNullable<ChatTurnRequest["attachments"]>;
  /** Problems the sender must hear about (an oversized or unsupported item); sent before the turn runs. */
  notices: string[];
}

/** Fetches, stores and understands an accepted message's media. */
export interface InboundMediaPreparer {
  prepare(context: InboundTurnContext): Promise<PreparedInbound>;
}

export function replyTarget(message: InboundMessage): string {
  return message.chatKind === "dm" ? message.peer.id : (message.chatId ?? message.peer.id);
}

/** A reaction in the shape the access policy, the bindings and the session keys read; it counts as addressed. */
export function reactionAsMessage(reaction: InboundReaction): InboundMessage {
  return {
    channel: reaction.channel,
    accountId: reaction.accountId,
    peer: reaction.peer,
    chatKind: reaction.chatKind,
    ...(reaction.chatId ? { chatId: reaction.chatId } : {}),
    ...(reaction.threadId ? { threadId: reaction.threadId } : {}),
    sender: reaction.sender,
    text: "",
    mentionsBot: true,
    timestamp: reaction.timestamp,
    platformMessageId: reaction.messageId,
  };
}

export function chatQueueKey(message: InboundMessage): string {
  const chat = message.chatKind === "dm" ? `dm\u0000${message.peer.id}` : `chat\u0000${message.chatId}`;
  return `${message.channel}\u0000${message.accountId}\u0000${chat}\u0000${message.threadId ?? ""}`;
}
