import { type ChannelPlugin, chunkText } from "@openclaw/plugin-sdk";
import { IdempotencyCache } from "../chat/idempotency-cache.js";
import type { Logger } from "../logging/logger.js";
import { ChannelError, describeError, PairingError } from "./channel-error.js";
import {
  type MediaPresentation,
  type OutboundMediaPort,
  outboundMediaMaxBytes,
  sendMediaItem,
} from "./outbound-media.js";
import type { PairingStore } from "./pairing-store.js";
import type { PluginRegistry } from "./plugin-registry.js";

export interface OutboundSendRequest {
  /** Optional when exactly one channel is running. */
  channel?: string;
  accountId?: string;
  /** A peer or chat id as the channel reports it in `InboundMessage.peer.id` / `chatId`. */
  to: string;
  /** May be empty when `mediaUrls` carries the message. */
  message: string;
  threadId?: string;
  /** The first chunk replies to this platform message id. */
  replyToId?: string;
  idempotencyKey?: string;
  /**
   * Files to send after the text, as native photos, voice notes, videos or documents: http(s) URLs, data URLs, or
   * paths in the agent's workspace or the media store (OpenClaw's `mediaUrl` / `mediaUrls`).
   */
  mediaUrls?: string[];
  /** OpenClaw's `asVoice` (audio as a voice note) and `forceDocument` (no compression). */
  presentation?: MediaPresentation;
  /** The agent whose workspace relative media paths are read from. */
  agentId?: string;
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
  /** Loads files for `mediaUrls`; without it they are sent as links or notes. */
  media?: OutboundMediaPort;
  /** The account's resolved config (`mediaMaxMb`); absent: the defaults. */
  accountConfig?(channel: string, accountId: string): Record<string, unknown> | undefined;
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
    if (o.message.trim() === "" && (o.mediaUrls?.length ?? 0) === 0) {
      throw new ChannelError("CHANNEL_SEND_FAILED", "nothing to send: give message text or mediaUrls", {
        channel,
      });
    }
    const where = { plugin, channel, accountId };
    const messageIds: string[] = [];
    await this.#sendTexts(where, o, chunkText(o.message, plugin.capabilities.maxTextLength), messageIds);
    const notes = await this.#sendMedia(where, o, messageIds);
    if (notes.length > 0) {
      await this.#sendTexts(
        where,
        o,
        chunkText(notes.join("\n"), plugin.capabilities.maxTextLength),
        messageIds,
      );
    }
    return { channel, accountId, to: o.to, messageIds };
  }

  async #sendTexts(
    where: { plugin: ChannelPlugin; channel: string; accountId: string },
    o: OutboundSendRequest,
    texts: string[],
    messageIds: string[],
  ): Promise<void> {
    const { plugin, channel, accountId } = where;
    for (const text of texts) {
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
  }

  /** Uploads `mediaUrls` one by one; returns the notes for those that could not go out as files. */
  async #sendMedia(
    where: { plugin: ChannelPlugin; channel: string; accountId: string },
    o: OutboundSendRequest,
    messageIds: string[],
  ): Promise<string[]> {
    const { plugin, channel, accountId } = where;
    const notes: string[] = [];
    for (const source of o.mediaUrls ?? []) {
      const replyTo = messageIds.length === 0 ? o.replyToId : undefined;
      const outcome = await sendMediaItem(
        this.#deps.media,
        {
          plugin,
          accountId,
          to: o.to,
          ...(o.threadId === undefined ? {} : { threadId: o.threadId }),
          ...(replyTo === undefined ? {} : { replyTo }),
          ...(o.agentId === undefined ? {} : { agentId: o.agentId }),
          maxBytes: outboundMediaMaxBytes(plugin, this.#deps.accountConfig?.(channel, accountId) ?? {}),
          logger: this.#deps.logger,
        },
        source,
        o.presentation,
      );
      if (!outcome.sent) {
        notes.push(outcome.fallbackText);
        continue;
      }
      messageIds.push(outcome.messageId);
      this.#deps.onSent(channel, accountId);
    }
    return notes;
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
