import type { AgentRunResult } from "@openclaw/agent";
import { chunkText, type InboundMessage } from "@openclaw/plugin-sdk";
import { describeError } from "./channel-error.js";
import { type InboundAccount, replyTarget } from "./inbound-types.js";

export const DEFAULT_TYPING_INTERVAL_MS = 4_000;
const MAX_APOLOGY_DETAIL = 300;

/** One started turn whose answer goes back to the chat its message came from. */
export interface ReplyTurn {
  runId: string;
  sessionKey: string;
  done: Promise<AgentRunResult>;
}

/**
 * The answer side of an inbound message: keeps the typing indicator alive while the turn runs, then sends the
 * answer chunked to the platform's limit (or an apology naming what failed).
 */
export class ReplyDelivery {
  readonly #now: () => number;
  readonly #typingIntervalMs: number;

  constructor(o: { now: () => number; typingIntervalMs?: number }) {
    this.#now = o.now;
    this.#typingIntervalMs = o.typingIntervalMs ?? DEFAULT_TYPING_INTERVAL_MS;
  }

  /** Waits for the turn and delivers its outcome to the message's chat. */
  async deliver(account: InboundAccount, message: InboundMessage, turn: ReplyTurn): Promise<void> {
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
      await this.sendText(account, message, text);
      return;
    }
    account.logger.warn("agent run failed; apologising to the chat", {
      runId: turn.runId,
      code: result.error?.code,
    });
    await this.sendText(account, message, apologyText(result.error?.message));
  }

  /** Sends `text` to the message's chat, chunked; the first part replies to the message. */
  async sendText(account: InboundAccount, message: InboundMessage, text: string): Promise<void> {
    await this.sendChunks(account, message, chunkText(text, account.plugin.capabilities.maxTextLength));
  }

  async sendChunks(account: InboundAccount, message: InboundMessage, chunks: string[]): Promise<void> {
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
