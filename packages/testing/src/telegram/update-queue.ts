export interface TelegramUpdate {
  update_id: number;
  [kind: string]: unknown;
}

// Without `allowed_updates`, Telegram delivers every kind except these three, which must be asked for by name.
const OPT_IN_KINDS = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

const MAX_LIMIT = 100;

/** The bot's unconfirmed updates, with getUpdates' offset and allowed_updates rules. */
export class UpdateQueue {
  #pending: TelegramUpdate[] = [];
  #nextUpdateId: number;
  #allowed: string[] = [];

  constructor(firstUpdateId: number) {
    this.#nextUpdateId = firstUpdateId;
  }

  get size(): number {
    return this.#pending.length;
  }

  push(kind: string, payload: unknown): TelegramUpdate {
    const update: TelegramUpdate = { update_id: this.#nextUpdateId++, [kind]: payload };
    this.#pending.push(update);
    return update;
  }

  /** Telegram remembers the last `allowed_updates` a getUpdates call sent until another call changes it. */
  setAllowed(kinds: string[] | undefined): void {
    if (kinds !== undefined) this.#allowed = kinds;
  }

  /**
   * A positive offset confirms every update below it; a negative one keeps only the last `-offset` updates.
   * Confirmed updates are forgotten and never returned again.
   */
  acknowledge(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset > 0) {
      this.#pending = this.#pending.filter((update) => update.update_id >= offset);
      return;
    }
    this.#pending = this.#pending.slice(offset);
  }

  /** The oldest unconfirmed updates (they stay pending until a later offset confirms them). */
  peek(limit: number | undefined): TelegramUpdate[] {
    this.#pending = this.#pending.filter((update) => this.#isAllowed(update));
    const count = Math.min(Math.max(limit ?? MAX_LIMIT, 1), MAX_LIMIT);
    return this.#pending.slice(0, count);
  }

  dropAll(): void {
    this.#pending = [];
  }

  #isAllowed(update: TelegramUpdate): boolean {
    const kind = Object.keys(update).find((key) => key !== "update_id") ?? "";
    return this.#allowed.length === 0 ? !OPT_IN_KINDS.has(kind) : this.#allowed.includes(kind);
  }
}
