import { chunkText } from "@openclaw/plugin-sdk";
import { IdempotencyCache } from "../chat/idempotency-cache.js";
import type { Logger } from "../logging/logger.js";
import { ChannelError, describeError, PairingError } from "./channel-error.js";
import type { PairingStore } from "./pairing-store.js";
import type { PluginRegistry } from "./plugin-registry.js";

export interface OutboundSendRequest {
  /** Optional when exactly one channel is running. */
  channel?: string;
  accountId?: string;
  /** A peer or chat id as the channel reports it in `InboundMessage.peer.id` / `chatId`. */
  to: string;
  message: string;
  threadId?: string;
  /** The first chunk replies to this platform message id. */
  replyToId?: string;
  idempotencyKey?: string;
}

export interface OutboundSendResult {
  channel: string;
  accountId: string;
  to: string;
  messageIds: string[];
  deduped?: boolean;
}

export type PairingNotification = "not-requested" | "sent" | "failed";

export const PAIRING_APPROVED_TEXT = "Your access was approved: you can talk to me now.";

export interface PairingApproval {
  channel: string;
  code: string;
  accountId?: string;
  notify?: boolean;
}

export interface PairingApprovalResult {
  code: string;
  channel: string;
  accountId: string;
  senderId: string;
  notification: PairingNotification;
}

/** What the outbound side needs from the channel manager. */
export interface ChannelOutboundDeps {
  registry: PluginRegistry;
  pairing: PairingStore;
  logger: Logger;
  /** The accounts the gateway runs right now. */
  runningAccounts(): { channel: string; accountId: string }[];
  defaultAccountId(channel: string): string;
  /** Called after each part of a message was delivered. */
  onSent(channel: string, accountId: string): void;
}

/** Messages the gateway sends on its own (the WS `send` method, pairing approvals), chunked and deduplicated. */
export class ChannelOutbound {
  readonly #deps: ChannelOutboundDeps;
  readonly #sent = new IdempotencyCache<Promise<OutboundSendResult>>({ maxEntries: 1_000 });

  constructor(deps: ChannelOutboundDeps) {
    this.#deps = deps;
  }

  /**
   * Sends a message to a peer or chat of a running account (the WS `send` method), chunked to the platform limit.
   * Without `channel`, the one running channel is used. A repeated `idempotencyKey` returns the first result.
   */
  async send(o: OutboundSendRequest): Promise<OutboundSendResult> {
    const dedupeKey =
      o.idempotencyKey === undefined ? undefined : `${o.channel ?? ""}\u0000${o.idempotencyKey}`;
    const seen = dedupeKey === undefined ? undefined : this.#sent.get(dedupeKey);
    if (seen) return { ...(await seen), deduped: true };
    const sending = this.#send(o);
    if (dedupeKey !== undefined) {
      this.#sent.set(dedupeKey, sending);
      // A failed send may be retried with the same key.
      sending.catch(() => this.#sent.forget(dedupeKey));
    }
    return sending;
  }

  async #send(o: OutboundSendRequest): Promise<OutboundSendResult> {
    const channel = o.channel ?? this.#onlyRunningChannel();
    const plugin = await this.#deps.registry.getChannel(channel);
    const accountId = o.accountId ?? this.#deps.defaultAccountId(channel);
    const running = this.#deps
      .runningAccounts()
      .some((account) => account.channel === channel && account.accountId === accountId);
    if (!running) {
      throw new ChannelError(
        "CHANNEL_NOT_RUNNING",
        `channel "${channel}" account "${accountId}" is not running: start it with \`openclaw channels start ${channel} --account ${accountId}\``,
        { channel },
      );
    }
    const messageIds: string[] = [];
    for (const text of chunkText(o.message, plugin.capabilities.maxTextLength)) {
      try {
        const sent = await plugin.sendText({
          accountId,
          to: o.to,
          text,
          ...(o.threadId === undefined ? {} : { threadId: o.threadId }),
          ...(o.replyToId === undefined || messageIds.length > 0 ? {} : { replyTo: o.replyToId }),
        });
        messageIds.push(sent.messageId);
      } catch (error) {
        throw new ChannelError(
          "CHANNEL_SEND_FAILED",
          `sending to ${o.to} on channel "${channel}" failed after ${messageIds.length} of the message's parts: ${describeError(error)}`,
          { channel, cause: error },
        );
      }
      this.#deps.onSent(channel, accountId);
    }
    return { channel, accountId, to: o.to, messageIds };
  }

  /**
   * Approves a pending DM pairing code (`channels.pairing.approve`); with `notify`, tells the sender on the same
   * account. Throws `PairingError` PAIRING_CODE_UNKNOWN / PAIRING_CODE_EXPIRED.
   */
  async approvePairing(o: PairingApproval): Promise<PairingApprovalResult> {
    const code = o.code.trim().toUpperCase();
    if (o.accountId !== undefined) {
      const pending = this.#deps.pairing.list(o.channel).find((request) => request.code === code);
      if (pending && pending.accountId !== o.accountId) {
        throw new PairingError(
          "PAIRING_CODE_UNKNOWN",
          `pairing code ${code} belongs to ${o.channel} account "${pending.accountId}", not "${o.accountId}": drop --account or use --account ${pending.accountId}`,
        );
      }
    }
    const approved = this.#deps.pairing.approve(o.channel, code);
    const result = { code, channel: o.channel, ...approved };
    if (!o.notify) return { ...result, notification: "not-requested" };
    try {
      await this.#send({
        channel: o.channel,
        accountId: approved.accountId,
        to: approved.senderId,
        message: PAIRING_APPROVED_TEXT,
      });
      return { ...result, notification: "sent" };
    } catch (error) {
      this.#deps.logger.warn("pairing approval notice not delivered", {
        channel: o.channel,
        accountId: approved.accountId,
        error: describeError(error),
      });
      return { ...result, notification: "failed" };
    }
  }

  #onlyRunningChannel(): string {
    const running = [...new Set(this.#deps.runningAccounts().map((account) => account.channel))];
    if (running.length === 1 && running[0] !== undefined) return running[0];
    throw new ChannelError(
      "CHANNEL_NOT_RUNNING",
      running.length === 0
        ? "no channel is running: start one with `openclaw channels start <channel>`"
        : `several channels are running (${running.join(", ")}): say which one with channel`,
    );
  }
}
