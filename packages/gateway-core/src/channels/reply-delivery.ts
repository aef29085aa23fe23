import type { AgentRunResult } from "@openclaw/agent";
import { chunkText, type InboundMessage } from "@openclaw/plugin-sdk";
import { parseSessionKey } from "@openclaw/sessions";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import { acknowledge, resolveAckReaction } from "./ack-reaction.js";
import { agentChatSettings } from "./agent-chat-settings.js";
import { describeError } from "./channel-error.js";
import type { DraftTransport } from "./draft-message.js";
import { DraftPreviewStream } from "./draft-preview-stream.js";
import { DraftProgressStream } from "./draft-progress-stream.js";
import { type ChatStarter, type InboundAccount, replyTarget } from "./inbound-types.js";
import { type OutboundMediaPort, outboundMediaMaxBytes, sendMediaItem } from "./outbound-media.js";
import { ReplyBlockStream } from "./reply-block-stream.js";
import { ReplyPrefixer, resolveResponsePrefix } from "./reply-prefix.js";
import type { ReplyStream, ReplyStreamContext } from "./reply-stream.js";
import { resolveReplyStreaming } from "./reply-streaming-config.js";
import { resolveTypingPolicy, type TypingPolicy, typingStartsOn } from "./reply-typing.js";

export const DEFAULT_TYPING_INTERVAL_MS = 4_000;
const MAX_APOLOGY_DETAIL = 300;

/** One started turn whose answer goes back to the chat its message came from. */
export interface ReplyTurn {
  runId: string;
  sessionKey: string;
  done: Promise<AgentRunResult>;
}

export interface ReplyDeliveryOptions {
  now: () => number;
  typingIntervalMs?: number;
  /** Follows a run's events, for live drafts and block replies; without it answers are sent whole at the end. */
  subscribeRun?: ChatStarter["subscribeRun"];
  /** `messages` of the current config: the acknowledgement reaction and `responsePrefix` settings. */
  messagesConfig?: () => unknown;
  /** `agents` of the current config: the agent's identity name for `responsePrefix` ("auto", `{identity.name}`). */
  agentsConfig?: () => unknown;
  /** `MEDIA:` lines of answers and the files they name; without it such lines become notes. */
  media?: OutboundMediaPort;
  /** Receives a `message.delivered` event per reply sent (answer or apology). */
  diagnostics?: DiagnosticBus;
}

/**
 * The answer side of an inbound message: acknowledges it with a reaction, keeps the typing indicator alive while
 * the turn runs, shows the answer growing in a draft (or in blocks) while the model writes it, then delivers the
 * final text (chunked to the platform's limit) and the files its `MEDIA:` lines name, or an apology naming what
 * failed.
 */
export class ReplyDelivery {
  readonly #o: ReplyDeliveryOptions;
  readonly #typingIntervalMs: number;

  constructor(o: ReplyDeliveryOptions) {
    this.#o = o;
    this.#typingIntervalMs = o.typingIntervalMs ?? DEFAULT_TYPING_INTERVAL_MS;
  }

  /** Waits for the turn and delivers its outcome to the message's chat. */
  async deliver(account: InboundAccount, message: InboundMessage, turn: ReplyTurn): Promise<void> {
    const prefixer = this.#prefixer(account, turn);
    const agentId = parseSessionKey(turn.sessionKey)?.agentId ?? "main";
    const policy = resolveTypingPolicy(this.#o.agentsConfig?.(), agentId, message);
    const typing = this.#typing(account, message, policy);
    // Subscribed first, synchronously: the run's first delta must not be missed.
    const stream = this.#openStream(account, message, prefixer, policy);
    const waitsForActivity = policy.mode === "message" || policy.mode === "thinking";
    const watch = stream !== undefined || waitsForActivity;
    const unsubscribe = watch
      ? this.#o.subscribeRun?.(turn.runId, (event) => {
          prefixer.observe(event);
          if (typingStartsOn(policy.mode, event)) typing.start();
          stream?.onEvent(event);
        })
      : undefined;
    // `instant`, or no run events to wait for: the indicator starts now.
    if (policy.mode === "instant" || (waitsForActivity && unsubscribe === undefined)) typing.start();
    const ack = acknowledge(account, message, resolveAckReaction(this.#o.messagesConfig?.(), account.config));
    const stopTyping = () => typing.stop();
    let result: AgentRunResult;
    try {
      result = await turn.done;
    } finally {
      stopTyping();
      unsubscribe?.();
    }
    const diagnostics = this.#o.diagnostics;
    if (!diagnostics?.wants("message.delivered")) {
      await this.#deliverResult(account, message, turn, result, stream, prefixer, ack);
      return;
    }
    const startedAt = this.#o.now();
    let outcome: "ok" | "error" = "error";
    try {
      if (!(await this.#deliverResult(account, message, turn, result, stream, prefixer, ack))) return;
      outcome = "ok";
    } finally {
      diagnostics.emit({
        type: "message.delivered",
        channel: account.plugin.id,
        accountId: account.accountId,
        runId: turn.runId,
        startedAt,
        endedAt: this.#o.now(),
        outcome,
      });
    }
  }

  /** Sends a finished turn's outcome; false when nothing was sent (aborted, empty answer). */
  async #deliverResult(
    account: InboundAccount,
    message: InboundMessage,
    turn: ReplyTurn,
    result: AgentRunResult,
    stream: ReplyStream | undefined,
    prefixer: ReplyPrefixer,
    ack: { done(): Promise<void> },
  ): Promise<boolean> {
    if (result.status === "aborted") {
      await stream?.stop("aborted");
      return false;
    }
    if (result.status === "error") {
      await stream?.stop("failed");
      account.logger.warn("agent run failed; apologising to the chat", {
        runId: turn.runId,
        code: result.error?.code,
      });
      await this.sendText(account, message, apologyText(result.error?.message));
      return true;
    }
    prefixer.settle(result);
    const { text, media } = this.#o.media?.parseDirectives(result.text) ?? { text: result.text, media: [] };
    const answer = prefixer.apply(text.trim());
    if (answer === "" && media.length === 0) {
      await stream?.stop("empty");
      await ack.done();
      return false;
    }
    if (answer !== "") {
      if (stream && account.isActive()) await stream.finish(answer);
      else await this.sendText(account, message, answer);
    } else {
      await stream?.stop("empty");
    }
    await this.#sendMedia(account, message, turn, media);
    await ack.done();
    return true;
  }

  /** Sends `text` to the message's chat, chunked; the first part replies to the message. */
  async sendText(account: InboundAccount, message: InboundMessage, text: string): Promise<void> {
    await this.sendChunks(account, message, chunkText(text, account.plugin.capabilities.maxTextLength));
  }

  async sendChunks(
    account: InboundAccount,
    message: InboundMessage,
    chunks: string[],
    o: { replyToMessage?: boolean } = {},
  ): Promise<void> {
    if (!account.isActive()) {
      account.logger.info("reply not delivered: the account was stopped while the agent ran");
      return;
    }
    const replyToMessage = o.replyToMessage ?? true;
    for (const [index, text] of chunks.entries()) {
      try {
        await account.plugin.sendText({
          accountId: account.accountId,
          to: replyTarget(message),
          text,
          ...(message.threadId ? { threadId: message.threadId } : {}),
          ...(index === 0 && replyToMessage ? { replyTo: message.platformMessageId } : {}),
        });
      } catch (error) {
        throw new DeliveryError(error);
      }
      account.onOutbound(this.#o.now());
    }
  }

  /** The reply's `responsePrefix` (account, channel, then `messages`), filled in as the run reveals its model. */
  #prefixer(account: InboundAccount, turn: ReplyTurn): ReplyPrefixer {
    const template = resolveResponsePrefix(this.#o.messagesConfig?.(), account.config);
    if (template === undefined) return new ReplyPrefixer(undefined, {});
    const agentId = parseSessionKey(turn.sessionKey)?.agentId;
    const identityName = agentId
      ? agentChatSettings(this.#o.agentsConfig?.(), agentId).identityName
      : undefined;
    return new ReplyPrefixer(template, identityName ? { identityName } : {});
  }

  /** The account's streaming mode for this reply; undefined when the answer is simply sent at the end. */
  #openStream(
    account: InboundAccount,
    message: InboundMessage,
    prefixer: ReplyPrefixer,
    policy: TypingPolicy,
  ): ReplyStream | undefined {
    if (this.#o.subscribeRun === undefined) return undefined;
    const { plugin } = account;
    const draft = draftTransport(account, message);
    const streaming = resolveReplyStreaming(plugin.id, account.config.streaming, {
      maxTextLength: plugin.capabilities.maxTextLength,
      edits: draft !== undefined,
      onIssue: (issue) =>
        account.logger.warn(`${issue.path} is invalid (${issue.message}); using the channel's defaults`),
    });
    const context: ReplyStreamContext = {
      streaming,
      maxTextLength: plugin.capabilities.maxTextLength,
      now: this.#o.now,
      logger: account.logger,
      ...(draft ? { draft } : {}),
      send: (chunks, o) => this.sendChunks(account, message, chunks, o),
      onWrite: () => account.onOutbound(this.#o.now()),
      visibleText: (text) => prefixer.apply(this.#o.media?.parseDirectives(text).text ?? text),
      ...(policy.blockDelayMs ? { pauseBetweenBlocks: () => humanPause(policy.blockDelayMs) } : {}),
    };
    if (streaming.blockReplies) return new ReplyBlockStream(context);
    if (draft === undefined || streaming.mode === "off") return undefined;
    if (streaming.mode === "progress") return new DraftProgressStream(context, draft);
    return new DraftPreviewStream(context, draft);
  }

  async #sendMedia(
    account: InboundAccount,
    message: InboundMessage,
    turn: ReplyTurn,
    sources: string[],
  ): Promise<void> {
    if (sources.length === 0 || !account.isActive()) return;
    const agentId = parseSessionKey(turn.sessionKey)?.agentId;
    const target = {
      plugin: account.plugin,
      accountId: account.accountId,
      to: replyTarget(message),
      ...(message.threadId ? { threadId: message.threadId } : {}),
      ...(agentId ? { agentId } : {}),
      maxBytes: outboundMediaMaxBytes(account.plugin, account.config),
      logger: account.logger,
    };
    const notes: string[] = [];
    for (const source of sources) {
      const outcome = await sendMediaItem(this.#o.media, target, source);
      if (outcome.sent) account.onOutbound(this.#o.now());
      else notes.push(outcome.fallbackText);
    }
    if (notes.length > 0)
      await this.sendChunks(
        account,
        message,
        chunkText(notes.join("\n"), account.plugin.capabilities.maxTextLength),
        { replyToMessage: false },
      );
  }

  /**
   * The typing indicator of one reply: `start` sends it and refreshes it every few seconds (the policy's
   * `typingIntervalSeconds`, else the delivery's cadence) until `stop`; `never` sends nothing.
   */
  #typing(
    account: InboundAccount,
    message: InboundMessage,
    policy: TypingPolicy,
  ): { start(): void; stop(): void } {
    const { plugin } = account;
    const sendTyping = plugin.sendTyping;
    let timer: ReturnType<typeof setInterval> | undefined;
    let state: "idle" | "on" | "stopped" = "idle";
    if (policy.mode === "never" || !plugin.capabilities.typing || sendTyping === undefined) {
      return { start: () => undefined, stop: () => undefined };
    }
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
    return {
      start: () => {
        if (state !== "idle") return;
        state = "on";
        tick();
        timer = setInterval(tick, this.#o.typingIntervalMs ?? policy.intervalMs ?? this.#typingIntervalMs);
        timer.unref?.();
      },
      stop: () => {
        state = "stopped";
        if (timer !== undefined) clearInterval(timer);
      },
    };
  }
}

/** The reply's chat as a draft surface, when the platform can edit messages. */
function draftTransport(account: InboundAccount, message: InboundMessage): DraftTransport | undefined {
  const { plugin, accountId } = account;
  const editText = plugin.editText;
  if (!plugin.capabilities.edits || editText === undefined) return undefined;
  const deleteMessage = plugin.deleteMessage;
  const to = replyTarget(message);
  const thread = message.threadId ? { threadId: message.threadId } : {};
  return {
    send: async (text) => {
      if (!account.isActive()) throw new Error("the account was stopped");
      const sent = await plugin.sendText({
        accountId,
        to,
        text,
        ...thread,
        replyTo: message.platformMessageId,
      });
      return sent.messageId;
    },
    edit: (messageId, text) => editText.call(plugin, { accountId, to, messageId, text, ...thread }),
    ...(deleteMessage
      ? { delete: (messageId: string) => deleteMessage.call(plugin, { accountId, to, messageId, ...thread }) }
      : {}),
  };
}

/** The adapter failed to deliver: the one inbound failure that restarts the account. */
export class DeliveryError extends Error {
  constructor(cause: unknown) {
    super(`sending the reply failed: ${describeError(cause)}`, { cause });
  }
}

// Provider errors can echo request details; anything shaped like a credential is masked before it reaches a chat.
const SECRET_LIKE = [
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{8,}/g,
  /\b\d{6,}:[A-Za-z0-9_-]{30,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(api[_-]?key|token|secret|password)=[^\s&]+/gi,
];

export function apologyText(detail: string | undefined): string {
  let text = (detail ?? "the run failed").replace(/\s+/g, " ").trim();
  for (const pattern of SECRET_LIKE) text = text.replace(pattern, "[redacted]");
  if (text.length > MAX_APOLOGY_DETAIL) text = `${text.slice(0, MAX_APOLOGY_DETAIL - 1)}…`;
  return `Sorry, I could not answer that: ${text}`;
}

/** A random pause within `range` (OpenClaw's humanDelay between block replies). */
function humanPause(range: { min: number; max: number } | undefined): Promise<void> {
  if (!range) return Promise.resolve();
  const ms = range.min + Math.random() * (range.max - range.min);
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
