import { type InboundMessage, InboundMessageSchema } from "@openclaw/plugin-sdk";
import { isSessionError, type StorageTable } from "@openclaw/sessions";
import { type StateTables, tableKey } from "../state/table-mirror.js";
import type { AccountRuntime } from "./account-runtime.js";
import { describeError } from "./channel-error.js";
import { InboundHandling } from "./inbound-handling.js";
import type { InboundAccount } from "./inbound-types.js";

/** The storage table of inbound messages accepted but not yet answered, per lease-held account. */
export const INBOUND_JOURNAL_TABLE = "channels.inbound";
/** A message larger than this as JSON is handled without a journal entry (a failover may lose it; logged). */
export const MAX_JOURNALED_MESSAGE_BYTES = 64 * 1024;
/** Entries older than this are dropped on replay rather than answered hours late. */
export const MAX_REPLAY_AGE_MS = 60 * 60 * 1000;
/**
 * A run looks at the journal once more this long after it started: entries the previous owner still wrote while
 * its adapter was being stopped (see {@link RunInbound.keep}) arrive after the first look.
 */
export const LATE_ENTRY_SCAN_MS = 5_000;
/** At most this many entries are replayed when a run starts; the rest wait for the next start. */
export const MAX_REPLAYED_PER_RUN = 200;

function hasMedia(raw: unknown): boolean {
  const media = (raw as { media?: unknown } | null)?.media;
  return Array.isArray(media) && media.length > 0;
}

/** One accepted message, stored before the chat service sees it and deleted once it was answered. */
export interface InboundJournalEntry {
  /** The message as JSON, without its media (whose `download` needs the receiving instance's live client). */
  message: unknown;
  hadMedia: boolean;
  acceptedAt: number;
  instanceId: string;
}

/** The inbound path of one run of an account: live messages, after the journal's replayed ones. */
export interface RunInbound {
  /** Whether what a drain leaves unanswered stays journaled for the next run (here or on another instance). */
  readonly journaled: boolean;
  /** Journals the message (dropping a duplicate of one still journaled), then hands it to the router. */
  accept(message: unknown): void | Promise<void>;
  /** The adapter started: the replayed messages go to the router now (if no live message took them first). */
  started(): void;
  /**
   * A message that arrived as the run ended (the lease was lost, the account crashed): journaled only, so the next
   * run (here or on the instance taking over) answers it, rather than lost while the adapter's cursor moves on.
   */
  keep(message: unknown): Promise<void>;
  /**
   * A graceful stop (a rolling restart): from now on live messages are only journaled (the next owner answers
   * them; one with media is still handled here, as a replay could not fetch its media), and this resolves once every message the run is handling was answered and its entry deleted, or when
   * `signal` aborts (the drain timed out, or the lease was lost): what is still unanswered stays journaled then.
   * Resolves with how many messages were left unanswered.
   */
  drain(signal: AbortSignal): Promise<number>;
}

/** What the journal hands messages to: the router's accept, which settles once the message was handled. */
export type JournalAccept = (
  account: InboundAccount,
  message: unknown,
  o: { replay: boolean },
) => Promise<void> | undefined;

export function inboundJournalPrefix(channel: string, accountId: string): string {
  return `${tableKey("inbound", channel, accountId)}/`;
}

// Message ids are unique per conversation only (Telegram numbers each chat's messages from 1), so the key names it.
function entryKey(message: InboundMessage): string {
  const conversation = message.chatId ?? message.peer.id;
  return tableKey("inbound", message.channel, message.accountId, conversation, message.platformMessageId);
}

/**
 * The inbound journal closes the failover window of a lease-held account: a message is written to the shared
 * store before it is handed to the chat service (and before the adapter moves its cursor on, as `onInbound`
 * waits for the write), and deleted once its turn ended and the reply went out or failed for good. The instance
 * that next runs the account (a takeover, or a restart here) first replays the entries nobody is handling, so a
 * message the dead owner accepted but never answered is answered once. A platform delivering the same message id
 * again while its entry exists is dropped.
 *
 * Media cannot be replayed (an item's `download` needs the receiving instance's live client): a replayed message
 * that had media is answered from its text alone, and one with media and no text is dropped (logged).
 */
export class InboundJournal {
  readonly #table: StorageTable<InboundJournalEntry>;
  readonly #instanceId: string;
  readonly #accept: JournalAccept;
  readonly #now: () => number;
  /** Keys this instance is handling now: never replayed, and a second delivery of one is dropped. */
  readonly #inFlight = new Set<string>();

  readonly #lateScanMs: number;

  constructor(o: {
    storage: StateTables;
    instanceId: string;
    accept: JournalAccept;
    now?: () => number;
    lateScanMs?: number;
  }) {
    this.#table = o.storage.table<InboundJournalEntry>(INBOUND_JOURNAL_TABLE);
    this.#lateScanMs = o.lateScanMs ?? LATE_ENTRY_SCAN_MS;
    this.#instanceId = o.instanceId;
    this.#accept = o.accept;
    this.#now = o.now ?? Date.now;
  }

  /** Reads the account's entries nobody here handles (before the adapter starts) and returns the run's path. */
  async openRun(account: InboundAccount, rt: AccountRuntime): Promise<RunInbound> {
    if (rt.shared) {
      // Every instance receives a webhook account: no owner would replay its entries, so none are written.
      return {
        accept: (raw) => {
          const parsed = InboundMessageSchema.safeParse(raw);
          void this.#accept(account, parsed.success ? parsed.data : raw, { replay: false });
        },
        started: () => undefined,
        keep: async () => undefined,
        drain: async () => 0,
        journaled: false,
      };
    }
    const replay = await this.#pending(account, rt);
    /** The messages this run is handling, each settling once answered and its entry deleted. */
    const handling = new InboundHandling();
    const track = (settled: Promise<void>) => handling.track(settled);
    let draining = false;
    let handedOver = false;
    const handOver = () => {
      if (handedOver) return;
      handedOver = true;
      if (replay.length > 0) {
        account.logger.info("replaying inbound messages accepted but not answered before", {
          count: replay.length,
        });
      }
      this.#replay(account, replay, track);
      const late = setTimeout(() => {
        if (!account.isActive() || draining) return;
        this.#pending(account, rt).then(
          (entries) => this.#replay(account, entries, track),
          (error: unknown) =>
            account.logger.warn("inbound journal not read", { error: describeError(error) }),
        );
      }, this.#lateScanMs);
      late.unref?.();
    };
    const keep = async (raw: unknown) => {
      const parsed = InboundMessageSchema.safeParse(raw);
      if (!parsed.success || this.#inFlight.has(entryKey(parsed.data))) return;
      await this.#record(account, entryKey(parsed.data), parsed.data);
    };
    return {
      journaled: true,
      started: handOver,
      keep,
      accept: (raw) => {
        if (draining && !hasMedia(raw)) return keep(raw);
        handOver();
        return this.#acceptLive(account, raw, track);
      },
      drain: async (signal) => {
        draining = true;
        return handling.settled(signal);
      },
    };
  }

  #replay(
    account: InboundAccount,
    entries: { key: string; message: InboundMessage }[],
    track: (settled: Promise<void>) => void,
  ): void {
    for (const { key, message } of entries) {
      track(this.#settle(key, account, this.#accept(account, message, { replay: true })));
    }
  }

  async #acceptLive(
    account: InboundAccount,
    raw: unknown,
    track: (settled: Promise<void>) => void,
  ): Promise<void> {
    const parsed = InboundMessageSchema.safeParse(raw);
    if (!parsed.success) {
      void this.#accept(account, raw, { replay: false }); // the router says why it drops it
      return;
    }
    const message = parsed.data;
    const key = entryKey(message);
    if (this.#inFlight.has(key)) {
      account.logger.info("inbound message dropped: the same message is being handled already", {
        platformMessageId: message.platformMessageId,
      });
      return;
    }
    this.#inFlight.add(key);
    const journaled = await this.#record(account, key, message);
    if (journaled === "duplicate") {
      this.#inFlight.delete(key);
      account.logger.info(
        "inbound message dropped: it is journaled already (a redelivery during a takeover)",
        {
          platformMessageId: message.platformMessageId,
        },
      );
      return;
    }
    const handled = this.#accept(account, message, { replay: false });
    if (journaled === "written") track(this.#settle(key, account, handled));
    else track(Promise.resolve(handled).finally(() => this.#inFlight.delete(key)));
  }

  async #record(
    account: InboundAccount,
    key: string,
    message: InboundMessage,
  ): Promise<"written" | "duplicate" | "skipped"> {
    const { media, ...withoutMedia } = message;
    const json = JSON.stringify(withoutMedia);
    if (Buffer.byteLength(json) > MAX_JOURNALED_MESSAGE_BYTES) {
      account.logger.warn("inbound message not journaled: it is too large; a failover now may lose it", {
        bytes: Buffer.byteLength(json),
      });
      return "skipped";
    }
    const entry: InboundJournalEntry = {
      message: JSON.parse(json),
      hadMedia: (media?.length ?? 0) > 0,
      acceptedAt: this.#now(),
      instanceId: this.#instanceId,
    };
    try {
      await this.#table.put(key, entry, 0);
      return "written";
    } catch (error) {
      // By code as well as class: a store driver bundling its own copy of the sessions package still matches.
      if (
        isSessionError(error, "SESSION_CONFLICT") ||
        (error as { code?: unknown }).code === "SESSION_CONFLICT"
      )
        return "duplicate";
      // The store being away must not stop the conversation: answered, only not protected against a failover.
      account.logger.warn("inbound message not journaled: the store refused it; handling it anyway", {
        error: describeError(error),
      });
      return "skipped";
    }
  }

  /** Deletes the entry once handled, unless the account stopped meanwhile (the next run replays it then). */
  #settle(key: string, account: InboundAccount, handled: Promise<void> | undefined): Promise<void> {
    return Promise.resolve(handled).then(async () => {
      this.#inFlight.delete(key);
      if (!account.isActive()) return;
      await this.#table.delete(key).catch((error: unknown) =>
        account.logger.warn("inbound journal entry not deleted; a takeover may answer it again", {
          error: describeError(error),
        }),
      );
    });
  }

  async #pending(
    account: InboundAccount,
    rt: AccountRuntime,
  ): Promise<{ key: string; message: InboundMessage }[]> {
    const rows = await this.#table.list({
      prefix: inboundJournalPrefix(rt.channel, rt.accountId),
      limit: MAX_REPLAYED_PER_RUN,
    });
    const out: { key: string; message: InboundMessage }[] = [];
    for (const row of rows) {
      if (this.#inFlight.has(row.key)) continue;
      const parsed = InboundMessageSchema.safeParse(row.value.message);
      const tooOld = this.#now() - row.value.acceptedAt > MAX_REPLAY_AGE_MS;
      const mediaOnly = parsed.success && row.value.hadMedia && parsed.data.text.trim() === "";
      if (!parsed.success || tooOld || mediaOnly) {
        account.logger.warn("inbound journal entry dropped instead of replayed", {
          reason: !parsed.success
            ? "unreadable"
            : tooOld
              ? "older than an hour"
              : "media only, and media cannot be replayed",
        });
        await this.#table.delete(row.key);
        continue;
      }
      this.#inFlight.add(row.key);
      out.push({ key: row.key, message: parsed.data });
    }
    return out;
  }
}
