import { type InboundMessage, MAX_INBOUND_MEDIA_ITEMS } from "@openclaw/plugin-sdk";

/** How long to wait after an album's latest part before handing it over; Telegram sends the parts back to back. */
export const DEFAULT_MEDIA_GROUP_WAIT_MS = 800;

interface PendingGroup {
  parts: InboundMessage[];
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Telegram delivers an album (several photos or files sent together) as one message per item sharing a
 * `media_group_id`. The agent should see one message with every item and the album's caption, so the parts are
 * held until no new part arrived for `waitMs`, then merged.
 */
export class MediaGroupBuffer {
  readonly #pending = new Map<string, PendingGroup>();

  constructor(
    private readonly deliver: (message: InboundMessage) => void,
    private readonly waitMs = DEFAULT_MEDIA_GROUP_WAIT_MS,
  ) {}

  add(groupId: string, part: InboundMessage): void {
    const pending = this.#pending.get(groupId);
    if (pending) clearTimeout(pending.timer);
    const parts = [...(pending?.parts ?? []), part];
    const timer = setTimeout(() => this.#flush(groupId), this.waitMs);
    // A pending album must not keep the process alive on its own.
    timer.unref?.();
    this.#pending.set(groupId, { parts, timer });
  }

  /** Forgets albums still waiting: the account stopped, and nothing may reach the gateway afterwards. */
  clear(): void {
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
  }

  #flush(groupId: string): void {
    const pending = this.#pending.get(groupId);
    this.#pending.delete(groupId);
    if (pending === undefined) return;
    this.deliver(mergeAlbum(pending.parts));
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
