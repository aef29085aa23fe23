import { createHash } from "node:crypto";
import { isSessionError, type SessionStorage, type StorageTable, type TableRecord } from "@openclaw/sessions";
import { z } from "zod";

/** The storage table of idempotency keys every gateway instance on one storage shares. */
export const IDEMPOTENCY_TABLE = "idempotency";
/** A remembered answer larger than this is refused: keep ids in it, not payloads. */
export const MAX_IDEMPOTENCY_VALUE_BYTES = 16 * 1024;
const PRUNE_PAGE = 500;

const RowSchema = z.object({
  value: z.unknown(),
  /** Epoch ms after which the key is free again (the row is ignored, and pruned). */
  expiresAt: z.number(),
});
type Row = z.infer<typeof RowSchema>;

export interface SharedIdempotencyKeysOptions<T> {
  storage: Pick<SessionStorage, "table">;
  /** Keeps uses apart in the one table: `chat`, `hooks`, `http`, ... (`[a-z0-9.-]+`). */
  namespace: string;
  /** Parses a remembered value read back (another instance, or another version, wrote it). */
  schema: z.ZodType<T>;
  /** How long a key is remembered; default 10 minutes, as the in-memory cache. */
  ttlMs?: number;
  now?: () => number;
  /** At most one background prune per this period, started by a claim; default 60 s. */
  pruneEveryMs?: number;
}

/** `value` is absent when the winner's value cannot be read by this version: the key counts as seen all the same. */
export type IdempotencyClaim<T> = { claimed: true } | { claimed: false; value: T | undefined };

export type SharedIdempotencyErrorCode = "IDEMPOTENCY_VALUE_TOO_LARGE" | "IDEMPOTENCY_INVALID_NAMESPACE";

export class SharedIdempotencyError extends Error {
  override readonly name = "SharedIdempotencyError";
  constructor(
    readonly code: SharedIdempotencyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Idempotency keys shared through a storage table, so a retry that lands on another gateway instance is recognised:
 * the first `claim` of a key cluster-wide wins (a put that must not exist yet, `expectedVersion` 0) and every later
 * one gets the value the winner stored. Keys expire after `ttlMs` (the expiry is in the row; expired rows are
 * ignored, taken over optimistically and pruned in the background). Keys are stored as digests, never as given.
 *
 * The in-memory `IdempotencyCache` stays the single-instance path (and the per-process fast path in front of this).
 */
export class SharedIdempotencyKeys<T> {
  readonly #table: StorageTable<unknown>;
  readonly #namespace: string;
  readonly #schema: z.ZodType<T>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #pruneEveryMs: number;
  #lastPruneAt = Number.NEGATIVE_INFINITY;
  #pruning: Promise<number> | undefined;

  constructor(options: SharedIdempotencyKeysOptions<T>) {
    if (!/^[a-z0-9.-]{1,64}$/.test(options.namespace)) {
      throw new SharedIdempotencyError(
        "IDEMPOTENCY_INVALID_NAMESPACE",
        `idempotency namespace "${options.namespace}" must be 1 to 64 of [a-z0-9.-]`,
      );
    }
    this.#table = options.storage.table(IDEMPOTENCY_TABLE);
    this.#namespace = options.namespace;
    this.#schema = options.schema;
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    this.#pruneEveryMs = options.pruneEveryMs ?? 60_000;
  }

  /**
   * Claims `key` with `value` (what a retry should get back). `{ claimed: true }` for the first caller while the key
   * is unexpired anywhere; otherwise the stored value. Storage failures propagate: the caller decides whether to run
   * the work unguarded or refuse it.
   */
  async claim(key: string, value: T): Promise<IdempotencyClaim<T>> {
    const json = JSON.stringify(value);
    if (Buffer.byteLength(json, "utf8") > MAX_IDEMPOTENCY_VALUE_BYTES) {
      throw new SharedIdempotencyError(
        "IDEMPOTENCY_VALUE_TOO_LARGE",
        `the value remembered for an idempotency key is over ${MAX_IDEMPOTENCY_VALUE_BYTES} bytes: store an id, not the payload`,
      );
    }
    this.#maybePrune();
    const rowKey = this.#rowKey(key);
    const row: Row = { value: JSON.parse(json), expiresAt: this.#now() + this.#ttlMs };
    // Two rounds: a conflict means a row exists; an expired one is taken over at its version, and losing that race
    // to another taker means the next read finds a live row.
    let expectedVersion = 0;
    for (let round = 0; round < 3; round += 1) {
      try {
        await this.#table.put(rowKey, row, expectedVersion);
        return { claimed: true };
      } catch (error) {
        if (!isSessionError(error, "SESSION_CONFLICT")) throw error;
      }
      const existing = await this.#table.get(rowKey);
      if (!existing) {
        expectedVersion = 0;
        continue;
      }
      const live = this.#live(existing);
      if (live) return { claimed: false, value: live.value };
      expectedVersion = existing.version;
    }
    // Contended beyond reason: treat as seen rather than risk doing the work twice.
    const existing = await this.#table.get(rowKey);
    const live = existing ? this.#live(existing) : undefined;
    if (live) return { claimed: false, value: live.value };
    return { claimed: true };
  }

  /** The value remembered for `key`, if unexpired. */
  async get(key: string): Promise<T | undefined> {
    const existing = await this.#table.get(this.#rowKey(key));
    return existing ? this.#live(existing)?.value : undefined;
  }

  /** Forgets `key` (the claimed work failed before it was accepted), so a retry may claim it again. */
  async release(key: string): Promise<void> {
    await this.#table.delete(this.#rowKey(key));
  }

  /** Deletes expired rows of this namespace, a page at a time; resolves with how many. */
  async prune(): Promise<number> {
    const now = this.#now();
    const prefix = `${this.#namespace}/`;
    let removed = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.#table.list({ prefix, limit: PRUNE_PAGE, ...(after ? { after } : {}) });
      for (const record of page) {
        const parsed = RowSchema.safeParse(record.value);
        if (parsed.success && parsed.data.expiresAt > now) continue;
        if (await this.#table.delete(record.key)) removed += 1;
      }
      if (page.length < PRUNE_PAGE) return removed;
      after = page[page.length - 1]?.key;
    }
  }

  #maybePrune(): void {
    const now = this.#now();
    if (this.#pruning || now - this.#lastPruneAt < this.#pruneEveryMs) return;
    this.#lastPruneAt = now;
    this.#pruning = this.prune()
      .catch(() => 0)
      .finally(() => {
        this.#pruning = undefined;
      });
  }

  /** Resolves once a background prune in progress finished. */
  async settled(): Promise<void> {
    await this.#pruning;
  }

  /** The row when unexpired, with its value when this version can read it. */
  #live(record: TableRecord<unknown>): { value: T | undefined } | undefined {
    const row = RowSchema.safeParse(record.value);
    if (!row.success || row.data.expiresAt <= this.#now()) return undefined;
    const value = this.#schema.safeParse(row.data.value);
    // A value this version cannot read still marks the key as seen: doing the work twice is the worse outcome.
    return { value: value.success ? value.data : undefined };
  }

  #rowKey(key: string): string {
    return `${this.#namespace}/${createHash("sha256").update(key).digest("base64url")}`;
  }
}
