import type { InboundReaction } from "@openclaw/plugin-sdk";
import { unwrapContent } from "./whatsapp-inbound-media.js";
import { chatOf, timestampMs } from "./whatsapp-message-to-inbound.js";
import type { WhatsAppMessage } from "./whatsapp-socket.js";

/** Reactions whose emoji the adapter remembers, so that a removal (WhatsApp sends `text: ""`) can name it. */
const REMEMBERED_REACTIONS = 1_000;

/**
 * Turns reactions received in `messages.upsert` into the gateway's shape. Baileys emits each reaction twice (as a
 * `reactionMessage` in `messages.upsert` and again as `messages.reaction`); the adapter listens to the first only,
 * which also says who reacted (`pushName`) and whether it is live traffic (`notify`) or history.
 */
export class WhatsAppReactionReader {
  readonly #emojis = new Map<string, string>();

  constructor(private readonly accountId: string) {}

  /** The reaction a message carries, or undefined when it carries none (or one the gateway must not see). */
  read(message: WhatsAppMessage): InboundReaction | undefined {
    const reaction = unwrapContent(message.message)?.reactionMessage;
    if (!reaction) return undefined;
    const chat = chatOf(message.key, message.pushName);
    const target = reaction.key;
    if (chat === undefined || !target?.id) return undefined;
    const slot = `${chat.chatId}\u0000${target.id}\u0000${chat.senderId}`;
    const text = reaction.text ?? "";
    const removed = text.length === 0;
    const emoji = removed ? this.#emojis.get(slot) : text;
    this.#emojis.delete(slot);
    if (!removed) {
      this.#emojis.set(slot, text);
      if (this.#emojis.size > REMEMBERED_REACTIONS)
        this.#emojis.delete(this.#emojis.keys().next().value as string);
    }
    // A removal of a reaction this gateway never saw cannot say which emoji went away.
    if (emoji === undefined) return undefined;
    const sent = reaction.senderTimestampMs;
    const timestamp =
      typeof sent === "number"
        ? sent
        : sent && typeof sent === "object"
          ? sent.toNumber()
          : timestampMs(message.messageTimestamp);
    return {
      channel: "whatsapp",
      accountId: this.accountId,
      peer: chat.peer,
      chatKind: chat.group ? "group" : "dm",
      ...(chat.group ? { chatId: chat.chatId } : {}),
      sender: chat.sender,
      messageId: target.id,
      // Baileys has already set `fromMe` from this account's point of view.
      onBotMessage: target.fromMe === true,
      emoji: emoji.slice(0, 128),
      removed,
      timestamp: Math.trunc(timestamp),
    };
  }
}
