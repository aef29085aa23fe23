import type { AgentRunResult } from "@openclaw/agent";
import {
  type ChannelPlugin,
  chunkText,
  type InboundMessage,
  InboundMessageSchema,
} from "@openclaw/plugin-sdk";
import {
  buildGroupSessionKey,
  buildMainSessionKey,
  buildPeerSessionKey,
  type DmScope,
} from "@openclaw/sessions";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import type { Logger } from "../logging/logger.js";
import { decideInboundAccess } from "./access-policy.js";
import { describeError } from "./channel-error.js";
import type { PairingStore } from "./pairing-store.js";

/** The part of `ChatService` the router needs: one agent turn per accepted message. */
export interface ChatStarter {
  start(request: ChatTurnRequest): { runId: string; sessionKey: string; done: Promise<AgentRunResult> };
}

export interface SessionRouting {
  dmScope: DmScope;
  mainKey: string;
  /** `"main"` puts group chats into the agent's main session, as OpenClaw's `session.groupScope`. */
  groupScope?: string;
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

export const DEFAULT_TYPING_INTERVAL_MS = 4_000;
/** Messages of one chat waiting behind a running turn; beyond this a flood is dropped rather than queued forever. */
export const MAX_QUEUED_PER_CHAT = 20;
const MAX_APOLOGY_DETAIL = 300;

/** Pairing reply text; the owner approves with the CLI or `channels.pairing.approve`. */
export function pairingReplyText(channel: string, code: string): string {
  return `Pairing code: ${code}\nAsk the owner to approve it: openclaw pairing approve ${channel} ${code}`;
}

/**
 * From an adapter's `onInbound` to the agent and back: validates the message, applies the access policy (pairing
 * codes for unknown DM senders), builds the session key, runs one agent turn, keeps the typing indicator alive while
 * it runs, and sends the answer chunked to the platform's limit. Messages of one chat are handled in order; chats do
 * not wait for each other, and `accept` returns at once so an adapter awaiting it is never held for a whole turn.
 */
/** Where a session's last inbound message came from: where a reply that no message asked for (a sub-agent's
 * result, a `message` tool call without a target) goes, as OpenClaw's lastChannel/lastTo. */
export interface ChatRoute {
  channel: string;
  accountId: string;
  to: string;
  threadId?: string;
}

/** Sessions whose last route is remembered; the oldest is forgotten past this (it returns with its next message). */
const MAX_REMEMBERED_ROUTES = 10_000;

export class InboundRouter {
  readonly #chat: ChatStarter;
  readonly #routes = new Map<string, ChatRoute>();
  readonly #pairing: PairingStore;
  readonly #getSession: () => SessionRouting;
  readonly #resolveAgentId: (message: InboundMessage) => string;
  readonly #isConfiguredAgent: ((agentId: string) => boolean) | undefined;
  readonly #now: () => number;
  readonly #typingIntervalMs: number;
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
    now?: () => number;
    typingIntervalMs?: number;
  }) {
    this.#chat = o.chat;
    this.#pairing = o.pairing;
    this.#getSession = o.getSession;
    this.#resolveAgentId = o.resolveAgentId;
    this.#isConfiguredAgent = o.isConfiguredAgent;
    this.#now = o.now ?? Date.now;
    this.#typingIntervalMs = o.typingIntervalMs ?? DEFAULT_TYPING_INTERVAL_MS;
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

  accept(account: InboundAccount, raw: unknown): void {
    const parsed = InboundMessageSchema.safeParse(raw);
    if (!parsed.success) {
      account.logger.warn("inbound message dropped: it is not a valid InboundMessage", {
        issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
      });
      return;
    }
    const message = parsed.data;
    if (message.channel !== account.plugin.id || message.accountId !== account.accountId) {
      account.logger.warn("inbound message dropped: it names another channel or account", {
        messageChannel: message.channel,
        messageAccountId: message.accountId,
      });
      return;
    }
    account.onInbound(this.#now());
    const key = chatQueueKey(message);
    const chain = this.#chains.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    if (chain.pending >= MAX_QUEUED_PER_CHAT) {
      account.logger.warn("inbound message dropped: too many messages of this chat are waiting", {
        chatKind: message.chatKind,
        pending: chain.pending,
      });
      return;
    }
    chain.pending += 1;
    chain.tail = chain.tail
      .then(() => this.#handle(account, message))
      .catch((error: unknown) => {
        account.logger.error("inbound message failed", { error: describeError(error) });
        // Only the adapter failing to deliver means the account is broken; a gateway-side failure (a session key
        // the sessions package refuses, a broken pairing file) would fail the same way after a restart.
        if (error instanceof DeliveryError) account.onFatal(error.cause);
      })
      .finally(() => {
        chain.pending -= 1;
        if (chain.pending === 0 && this.#chains.get(key) === chain) this.#chains.delete(key);
      });
    this.#chains.set(key, chain);
  }

  /** Resolves when every queued message has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) {
      await Promise.all([...this.#chains.values()].map((chain) => chain.tail));
    }
  }

  async #handle(account: InboundAccount, message: InboundMessage): Promise<void> {
    const { plugin, accountId, logger } = account;
    const decision = decideInboundAccess(message, account.config, {
      isPaired: (senderId) => this.#isPaired(account, senderId),
    });
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
      await this.#send(account, message, [pairingReplyText(plugin.id, request.code)]);
      return;
    }
    if (message.text.trim() === "") {
      logger.debug("inbound message without text ignored", { chatKind: message.chatKind });
      return;
    }
    await this.#runTurn(account, message);
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

  async #runTurn(account: InboundAccount, message: InboundMessage): Promise<void> {
    const agentId = this.#resolveAgentId(message);
    if (this.#isConfiguredAgent && !this.#isConfiguredAgent(agentId)) {
      account.logger.error(
        "inbound message not run: it is routed to an agent that is not configured; add the agent under agents.list or fix the binding in bindings",
        { agentId, chatKind: message.chatKind },
      );
      await this.#send(account, message, [apologyText("this chat is routed to an agent that is not set up")]);
      return;
    }
    const sessionKey = this.#sessionKey(message, agentId);
    this.#rememberRoute(sessionKey, message);
    const isDirect = message.chatKind === "dm";
    const senderName = message.sender.name ?? message.sender.username ?? message.sender.id;
    const turn = this.#chat.start({
      sessionKey,
      agentId,
      message: isDirect ? message.text : `[${senderName}]: ${message.text}`,
      // A platform redelivering the same update (webhook retry) must not start a second turn.
      idempotencyKey: `${message.channel}:${message.accountId}:${message.platformMessageId}`,
    });
    const stopTyping = this.#keepTyping(account, message);
    let result: AgentRunResult;
    try {
      result = await turn.done;
    } finally {
      stopTyping();
    }
    if (result.status === "aborted") return;
    if (result.status === "ok") {
      const text = result.text.trim();
      if (text === "") return;
      await this.#send(account, message, chunkText(text, account.plugin.capabilities.maxTextLength));
      return;
    }
    account.logger.warn("agent run failed; apologising to the chat", {
      runId: turn.runId,
      code: result.error?.code,
    });
    await this.#send(account, message, [apologyText(result.error?.message)]);
  }

  #sessionKey(message: InboundMessage, agentId: string): string {
    const session = this.#getSession();
    if (message.chatKind === "dm") {
      return buildPeerSessionKey({
        agentId,
        channel: message.channel,
        accountId: message.accountId,
        peerId: message.sender.id,
        dmScope: session.dmScope,
        mainKey: session.mainKey,
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

  /** Sends the typing indicator now and every few seconds until the returned function is called. */
  #keepTyping(account: InboundAccount, message: InboundMessage): () => void {
    const { plugin } = account;
    const sendTyping = plugin.sendTyping;
    if (!plugin.capabilities.typing || sendTyping === undefined) return () => undefined;
    const tick = () => {
      if (!account.isActive()) return;
      sendTyping
        .call(plugin, {
          accountId: account.accountId,
          to: replyTarget(message),
          ...(message.threadId ? { threadId: message.threadId } : {}),
        })
        .catch((error: unknown) => {
          // A missed typing indicator is cosmetic; the answer still goes out.
          account.logger.debug("typing indicator failed", { error: describeError(error) });
        });
    };
    tick();
    const timer = setInterval(tick, this.#typingIntervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async #send(account: InboundAccount, message: InboundMessage, chunks: string[]): Promise<void> {
    if (!account.isActive()) {
      account.logger.info("reply not delivered: the account was stopped while the agent ran");
      return;
    }
    for (const [index, text] of chunks.entries()) {
      try {
        await account.plugin.sendText({
          accountId: account.accountId,
          to: replyTarget(message),
          text,
          ...(message.threadId ? { threadId: message.threadId } : {}),
          ...(index === 0 ? { replyTo: message.platformMessageId } : {}),
        });
      } catch (error) {
        throw new DeliveryError(error);
      }
      account.onOutbound(this.#now());
    }
  }
}

/** The adapter's sendText failed: the one inbound failure that restarts the account. */
class DeliveryError extends Error {
  constructor(cause: unknown) {
    super(`sending the reply failed: ${describeError(cause)}`, { cause });
  }
}

function replyTarget(message: InboundMessage): string {
  return message.chatKind === "dm" ? message.peer.id : (message.chatId ?? message.peer.id);
}

function chatQueueKey(message: InboundMessage): string {
  const chat = message.chatKind === "dm" ? `dm\u0000${message.peer.id}` : `chat\u0000${message.chatId}`;
  return `${message.channel}\u0000${message.accountId}\u0000${chat}\u0000${message.threadId ?? ""}`;
}

// Provider errors can echo request details; anything shaped like a credential is masked before it reaches a chat.
const SECRET_LIKE = [
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{8,}/g,
  /\b\d{6,}:[A-Za-z0-9_-]{30,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(api[_-]?key|token|secret|password)=[^\s&]+/gi,
];

function apologyText(detail: string | undefined): string {
  let text = (detail ?? "the run failed").replace(/\s+/g, " ").trim();
  for (const pattern of SECRET_LIKE) text = text.replace(pattern, "[redacted]");
  if (text.length > MAX_APOLOGY_DETAIL) text = `${text.slice(0, MAX_APOLOGY_DETAIL - 1)}…`;
  return `Sorry, I could not answer that: ${text}`;
}
