import { type InboundMessage, InboundMessageSchema, InboundReactionSchema } from "@openclaw/plugin-sdk";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import { decideInboundAccess } from "./access-policy.js";
import { describeError } from "./channel-error.js";
import type { InboundReactionHandler } from "./inbound-reactions.js";
import { inboundSessionKey, type SessionRouting } from "./inbound-session-key.js";
import type {
  ChatRoute,
  ChatStarter,
  InboundAccount,
  InboundCommandHandler,
  InboundMediaPreparer,
  InboundTurnContext,
} from "./inbound-types.js";
import { chatQueueKey, reactionAsMessage, replyTarget } from "./inbound-types.js";
import { type MentionPatterns, matchesMentionPattern } from "./mention-patterns.js";
import type { PairingStore } from "./pairing-store.js";
import { apologyText, DeliveryError, ReplyDelivery, type ReplyDeliveryOptions } from "./reply-delivery.js";

export type { SessionRouting } from "./inbound-session-key.js";
export type {
  ChatRoute,
  ChatStarter,
  InboundAccount,
  InboundCommandHandler,
  InboundMediaPreparer,
  InboundTurnContext,
  PreparedInbound,
} from "./inbound-types.js";
export { DEFAULT_TYPING_INTERVAL_MS } from "./reply-delivery.js";

/** Messages of one chat waiting behind a running turn; beyond this a flood is dropped rather than queued forever. */
export const MAX_QUEUED_PER_CHAT = 20;
/** Commands that skip the chat queue (`/stop`, `/status`) and reactions handled at once, across all chats. */
const MAX_IMMEDIATE_IN_FLIGHT = 64;

/** Pairing reply text; the owner approves with the CLI or `channels.pairing.approve`. */
export function pairingReplyText(channel: string, code: string): string {
  return `Pairing code: ${code}\nAsk the owner to approve it: openclaw pairing approve ${channel} ${code}`;
}

/** Sessions whose last route is remembered; the oldest is forgotten past this (it returns with its next message). */
const MAX_REMEMBERED_ROUTES = 10_000;

/**
 * From an adapter's `onInbound` to the agent and back: validates the message, applies the access policy (pairing
 * codes for unknown DM senders), builds the session key, hands the message to the command handler, prepares its
 * media, runs one agent turn and lets the reply delivery answer in the chat. Messages of one chat are handled in
 * order; chats do not wait for each other, and `accept` returns at once so an adapter awaiting it is never held for
 * a whole turn.
 */
export class InboundRouter {
  readonly #chat: ChatStarter;
  readonly #routes = new Map<string, ChatRoute>();
  readonly #pairing: PairingStore;
  readonly #getSession: () => SessionRouting;
  readonly #resolveAgentId: (message: InboundMessage) => string;
  readonly #isConfiguredAgent: ((agentId: string) => boolean) | undefined;
  readonly #mentionPatterns: ((agentId: string) => MentionPatterns) | undefined;
  readonly #now: () => number;
  readonly #replies: ReplyDelivery;
  readonly #commands: InboundCommandHandler | undefined;
  readonly #media: InboundMediaPreparer | undefined;
  readonly #reactions: InboundReactionHandler | undefined;
  readonly #diagnostics: DiagnosticBus | undefined;
  /** Commands handled outside their chat's queue (`/stop`), still running. */
  readonly #immediate = new Set<Promise<void>>();
  readonly #chains = new Map<string, { tail: Promise<void>; pending: number }>();

  constructor(o: {
    chat: ChatStarter;
    pairing: PairingStore;
    getSession: () => SessionRouting;
    resolveAgentId: (message: InboundMessage) => string;
    /**
     * Whether an agent is configured. A message routed (by `bindings`) to one that is not is refused before
     * anything is written, so no `agents/<id>/` appears; without it every agent id is taken as configured.
     */
    isConfiguredAgent?: (agentId: string) => boolean;
    /** Text patterns that count as mentioning an agent in a group (`groupChat.mentionPatterns`). */
    mentionPatterns?: (agentId: string) => MentionPatterns;
    now?: () => number;
    typingIntervalMs?: number;
    /** In-chat commands; without it every message runs a turn. */
    commands?: InboundCommandHandler;
    /** Media handling; without it a message's media is ignored and a media-only message is not answered. */
    media?: InboundMediaPreparer;
    /** Reactions on messages; without it they are ignored. */
    reactions?: InboundReactionHandler;
    /** Acknowledgement reactions and `MEDIA:` files of answers (see {@link ReplyDeliveryOptions}). */
    replies?: Pick<ReplyDeliveryOptions, "messagesConfig" | "agentsConfig" | "media">;
    /** Telemetry: `message.received` here, `message.delivered` from the reply delivery. */
    diagnostics?: DiagnosticBus;
  }) {
    this.#diagnostics = o.diagnostics;
    this.#chat = o.chat;
    this.#pairing = o.pairing;
    this.#getSession = o.getSession;
    this.#resolveAgentId = o.resolveAgentId;
    this.#isConfiguredAgent = o.isConfiguredAgent;
    this.#mentionPatterns = o.mentionPatterns;
    this.#now = o.now ?? Date.now;
    const chat = o.chat;
    this.#replies = new ReplyDelivery({
      now: this.#now,
      ...(o.typingIntervalMs === undefined ? {} : { typingIntervalMs: o.typingIntervalMs }),
      ...(chat.subscribeRun ? { subscribeRun: chat.subscribeRun.bind(chat) } : {}),
      ...o.replies,
      ...(o.diagnostics ? { diagnostics: o.diagnostics } : {}),
    });
    this.#commands = o.commands;
    this.#media = o.media;
    this.#reactions = o.reactions;
  }

  /** The chat the session last heard from, if it has since this process started. */
  lastRoute(sessionKey: string): ChatRoute | undefined {
    return this.#routes.get(sessionKey);
  }

  #rememberRoute(sessionKey: string, message: InboundMessage): void {
    this.#routes.delete(sessionKey);
    this.#routes.set(sessionKey, {
      channel: message.channel,
      accountId: message.accountId,
      to: replyTarget(message),
      ...(message.threadId ? { threadId: message.threadId } : {}),
    });
    if (this.#routes.size > MAX_REMEMBERED_ROUTES) {
      const oldest = this.#routes.keys().next().value;
      if (oldest !== undefined) this.#routes.delete(oldest);
    }
  }

  /**
   * Queues the message behind its chat's earlier ones. Returns a promise that settles once it was handled (its
   * turn ended and the reply went out, or failed), or undefined when it was dropped at once. `replay` marks a
   * message an instance accepted and never answered, replayed from the inbound journal: its turn keeps the message's
   * idempotency key, so an answer the transcript holds is delivered and nothing runs twice, and one that was cut off
   * or ended early runs again on the recorded user message (`resumeUnanswered`: no second line in the transcript).
   */
  accept(account: InboundAccount, raw: unknown, o: { replay?: boolean } = {}): Promise<void> | undefined {
    const replay = o.replay === true;
    const parsed = InboundMessageSchema.safeParse(raw);
    if (!parsed.success) {
      account.logger.warn("inbound message dropped: it is not a valid InboundMessage", {
        issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
      });
      return undefined;
    }
    const message = parsed.data;
    if (message.channel !== account.plugin.id || message.accountId !== account.accountId) {
      account.logger.warn("inbound message dropped: it names another channel or account", {
        messageChannel: message.channel,
        messageAccountId: message.accountId,
      });
      return undefined;
    }
    account.onInbound(this.#now());
    if (this.#commands?.isImmediate?.(message)) {
      if (this.#immediate.size >= MAX_IMMEDIATE_IN_FLIGHT) {
        account.logger.warn("inbound command dropped: too many commands and reactions are being handled", {
          inFlight: this.#immediate.size,
        });
        return undefined;
      }
      // `/stop` must reach the turn it aborts, which holds this chat's queue; it still passes the access policy.
      const handled = this.#handle(account, message, replay).catch((error: unknown) =>
        this.#failed(account, error),
      );
      this.#immediate.add(handled);
      void handled.finally(() => this.#immediate.delete(handled));
      return handled;
    }
    const key = chatQueueKey(message);
    const chain = this.#chains.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    if (chain.pending >= MAX_QUEUED_PER_CHAT) {
      account.logger.warn("inbound message dropped: too many messages of this chat are waiting", {
        chatKind: message.chatKind,
        pending: chain.pending,
      });
      return undefined;
    }
    chain.pending += 1;
    chain.tail = chain.tail
      .then(() => this.#handle(account, message, replay))
      .catch((error: unknown) => this.#failed(account, error))
      .finally(() => {
        chain.pending -= 1;
        if (chain.pending === 0 && this.#chains.get(key) === chain) this.#chains.delete(key);
      });
    this.#chains.set(key, chain);
    return chain.tail;
  }

  #failed(account: InboundAccount, error: unknown): void {
    account.logger.error("inbound message failed", { error: describeError(error) });
    // Only the adapter failing to deliver means the account is broken; a gateway-side failure (a session key
    // the sessions package refuses, a broken pairing file) would fail the same way after a restart.
    if (error instanceof DeliveryError) account.onFatal(error.cause);
  }

  /** Resolves when every queued message has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#chains.size > 0 || this.#immediate.size > 0) {
      await Promise.all([...this.#chains.values()].map((chain) => chain.tail).concat([...this.#immediate]));
    }
  }

  /**
   * A reaction from an adapter's `onReaction`: validated, held to the same access policy as a message from its
   * sender (a reaction never asks for pairing), then handed to the reaction handler with the chat's session.
   */
  acceptReaction(account: InboundAccount, raw: unknown): void {
    if (!this.#reactions) return;
    const parsed = InboundReactionSchema.safeParse(raw);
    if (
      !parsed.success ||
      parsed.data.channel !== account.plugin.id ||
      parsed.data.accountId !== account.accountId
    ) {
      account.logger.warn("inbound reaction dropped: it is not a valid InboundReaction of this account", {
        issues: parsed.success
          ? ["names another channel or account"]
          : parsed.error.issues.map((i) => i.message),
      });
      return;
    }
    if (this.#immediate.size >= MAX_IMMEDIATE_IN_FLIGHT) {
      account.logger.warn("inbound reaction dropped: too many commands and reactions are being handled");
      return;
    }
    const reaction = parsed.data;
    const message = reactionAsMessage(reaction);
    const decision = decideInboundAccess(message, account.config, {
      isPaired: (senderId) => this.#isPaired(account, senderId),
      senderIds: account.plugin.senderIds,
    });
    if (decision.action !== "accept") {
      account.logger.debug("inbound reaction dropped", { chatKind: reaction.chatKind });
      return;
    }
    const agentId = this.#resolveAgentId(message);
    if (this.#isConfiguredAgent && !this.#isConfiguredAgent(agentId)) return;
    const sessionKey = this.#sessionKey(message, agentId);
    const handled = this.#reactions
      .handle({ account, reaction, agentId, sessionKey })
      .catch((error: unknown) =>
        account.logger.error("inbound reaction failed", { error: describeError(error) }),
      );
    this.#immediate.add(handled);
    void handled.finally(() => this.#immediate.delete(handled));
  }

  async #handle(account: InboundAccount, message: InboundMessage, replay: boolean): Promise<void> {
    const receivedAt = this.#now();
    const { plugin, accountId, logger } = account;
    const decision = decideInboundAccess(this.#addressed(account, message), account.config, {
      isPaired: (senderId) => this.#isPaired(account, senderId),
      senderIds: account.plugin.senderIds,
    });
    if (this.#diagnostics?.wants("message.received")) {
      this.#diagnostics.emit({
        type: "message.received",
        channel: plugin.id,
        accountId,
        at: receivedAt,
        outcome: decision.action === "accept" ? "accepted" : "dropped",
      });
    }
    if (decision.action === "drop") {
      logger.debug("inbound message dropped", { reason: decision.reason, chatKind: message.chatKind });
      return;
    }
    if (decision.action === "pair") {
      const request = this.#pairing.request({
        channel: plugin.id,
        accountId,
        senderId: message.sender.id,
        ...(message.sender.name ? { senderName: message.sender.name } : {}),
      });
      if (!request.created || request.code === undefined) {
        logger.info(
          request.code === undefined
            ? "pairing request ignored: the account already has the maximum of pending requests"
            : "pairing request already pending; no new code sent",
          { senderId: message.sender.id },
        );
        return;
      }
      logger.info("pairing requested", { senderId: message.sender.id });
      await this.#replies.sendChunks(account, message, [pairingReplyText(plugin.id, request.code)]);
      return;
    }
    const hasMedia = this.#media !== undefined && (message.media?.length ?? 0) > 0;
    if (message.text.trim() === "" && !hasMedia) {
      logger.debug("inbound message without text ignored", { chatKind: message.chatKind });
      return;
    }
    await this.#runTurn(account, message, receivedAt, replay);
  }

  /**
   * A group message matching the agent's mention patterns, or an authorised sender's command, counts as a mention,
   * as in OpenClaw; everything else is as sent.
   */
  #addressed(account: InboundAccount, message: InboundMessage): InboundMessage {
    if (message.chatKind === "dm" || message.mentionsBot) return message;
    const mention = this.#mentionPatterns?.(this.#resolveAgentId(message));
    if (mention && matchesMentionPattern(message.text, mention)) return { ...message, mentionsBot: true };
    if (!this.#commands?.addressesBot) return message;
    const nativeChannel = account.plugin.capabilities.nativeCommands === true;
    return this.#commands.addressesBot(message, account.config, nativeChannel, account.plugin.senderIds)
      ? { ...message, mentionsBot: true }
      : message;
  }

  #isPaired(account: InboundAccount, senderId: string): boolean {
    try {
      return this.#pairing.isApproved(account.plugin.id, account.accountId, senderId);
    } catch (error) {
      // A broken pairing file must not open access; it is reported and the sender treated as unknown.
      account.logger.error("pairing store unreadable; treating the sender as not paired", {
        error: describeError(error),
      });
      return false;
    }
  }

  async #runTurn(
    account: InboundAccount,
    message: InboundMessage,
    receivedAt: number,
    replay: boolean,
  ): Promise<void> {
    const agentId = this.#resolveAgentId(message);
    if (this.#isConfiguredAgent && !this.#isConfiguredAgent(agentId)) {
      account.logger.error(
        "inbound message not run: it is routed to an agent that is not configured; add the agent under agents.list or fix the binding in bindings",
        { agentId, chatKind: message.chatKind },
      );
      await this.#replies.sendText(
        account,
        message,
        apologyText("this chat is routed to an agent that is not set up"),
      );
      return;
    }
    const sessionKey = this.#sessionKey(message, agentId);
    this.#rememberRoute(sessionKey, message);
    const context: InboundTurnContext = {
      account,
      message,
      agentId,
      sessionKey,
      reply: (text) => this.#replies.sendText(account, message, text),
    };
    const handled = this.#commands ? await this.#commands.handle(context) : false;
    if (handled === true) return;
    let text = handled === false ? message.text : handled.followUp;
    let attachments: NonNullable<Parameters<ChatStarter["start"]>[0]["attachments"]> = [];
    if (this.#media && (message.media?.length ?? 0) > 0) {
      const prepared = await this.#media.prepare(
        handled === false ? context : { ...context, message: { ...message, text } },
      );
      for (const notice of prepared.notices) await context.reply(notice);
      text = prepared.text;
      attachments = prepared.attachments;
      if (text.trim() === "" && attachments.length === 0) return;
    }
    const isDirect = message.chatKind === "dm";
    const senderName = message.sender.name ?? message.sender.username ?? message.sender.id;
    const request: ChatTurnRequest = {
      sessionKey,
      agentId,
      message: isDirect ? text : `[${senderName}]: ${text}`,
      ...(attachments.length > 0 ? { attachments } : {}),
      // A platform redelivering the same update (webhook retry) must not start a second turn.
      idempotencyKey: `${message.channel}:${message.accountId}:${message.platformMessageId}`,
      origin: { channel: message.channel, accountId: message.accountId, trigger: "user", receivedAt },
    };
    const turn = this.#chat.start(replay ? { ...request, resumeUnanswered: true } : request);
    await this.#replies.deliver(account, message, turn);
  }

  #sessionKey(message: InboundMessage, agentId: string): string {
    return inboundSessionKey(message, agentId, this.#getSession());
  }
}
