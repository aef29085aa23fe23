import { type InboundMessage, MAX_INBOUND_MEDIA_ITEMS } from "@openclaw/plugin-sdk";

/** How long to wait after an album's latest part before handing it over; Telegram sends the parts back to back. */
export const DEFAULT_MEDIA_GROUP_WAIT_MS = 800;

interface PendingGroup {
  parts: InboundMessage[];
  timer: ReturnType<typeof setTimeout>;
  handedOver: Promise<boolean>;
  settle: (handedOver: boolean) => void;
}

/**
 * Telegram delivers an album (several photos or files sent together) as one message per item sharing a
 * `media_group_id`. The agent should see one message with every item and the album's caption, so the parts are
 * held until no new part arrived for `waitMs`, then merged.
 */
export class MediaGroupBuffer {
  readonly #pending = new Map<string, PendingGroup>();

  /** `deliver` resolves whether the album reached the gateway (false: the account stopped first). */
  constructor(
    private readonly deliver: (message: InboundMessage) => Promise<boolean>,
    private readonly waitMs = DEFAULT_MEDIA_GROUP_WAIT_MS,
  ) {}

  /** Buffers a part; resolves once its album was handed over (true) or dropped because the account stopped. */
  add(groupId: string, part: InboundMessage): Promise<boolean> {
    let pending = this.#pending.get(groupId);
    if (pending) clearTimeout(pending.timer);
    else {
      let settle!: (handedOver: boolean) => void;
      const handedOver = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
      pending = { parts: [], timer: undefined as never, handedOver, settle };
      this.#pending.set(groupId, pending);
    }
    pending.parts.push(part);
    pending.timer = setTimeout(() => void this.#flush(groupId), this.waitMs);
    // A pending album must not keep the process alive on its own.
    pending.timer.unref?.();
    return pending.handedOver;
  }

  /**
   * Forgets albums still waiting: the account stopped, and nothing may reach the gateway afterwards. Their parts
   * were never confirmed to Telegram (see `runLongPolling`), so the next poller receives them again.
   */
  clear(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.settle(false);
    }
    this.#pending.clear();
  }

  async #flush(groupId: string): Promise<void> {
    const pending = this.#pending.get(groupId);
    this.#pending.delete(groupId);
    if (pending === undefined) return;
    pending.settle(await this.deliver(mergeAlbum(pending.parts)).catch(() => false));
  }
}

/** One message for the whole album: the first part's ids, the caption that was given, every item. */
export function mergeAlbum(parts: InboundMessage[]): InboundMessage {
  const sorted = [...parts].sort((a, b) => Number(a.platformMessageId) - Number(b.platformMessageId));
  const [first, ...rest] = sorted;
  if (first === undefined) throw new Error("mergeAlbum needs at least one part");
  const captioned = sorted.find((part) => part.text.trim() !== "");
  const media = sorted.flatMap((part) => part.media ?? []).slice(0, MAX_INBOUND_MEDIA_ITEMS);
  return {
    ...first,
    ...(captioned === undefined ? {} : { text: captioned.text }),
    mentionsBot: first.mentionsBot || rest.some((part) => part.mentionsBot),
    ...(media.length === 0 ? {} : { media }),
  };
}
