export interface AuthRateLimitOptions {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  exemptLoopback: boolean;
  /** Upper bound on tracked addresses, so a flood of spoofed sources cannot grow memory without bound. */
  maxTrackedAddresses?: number;
  now?: () => number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * One credential check that was allowed to happen. It already counts against the address: call `fail()` or
 * `succeed()` exactly once when the check is over (later calls are ignored).
 */
export interface AttemptReservation {
  readonly allowed: true;
  /** The credential was wrong (or the frame carrying it was malformed); returns the decision for the next attempt. */
  fail(): RateLimitDecision;
  /** The credential was right: the address's failure history is cleared unless it is locked out. */
  succeed(): void;
  /** No credential was judged (e.g. a protocol mismatch): the reservation is returned uncounted. */
  release(): void;
}

export type AttemptDecision = AttemptReservation | { allowed: false; retryAfterMs: number };

export interface AuthRateLimiter {
  /**
   * Reserves one credential check for `address`, synchronously, before anything is awaited: at most `maxAttempts`
   * checks can ever be in flight or failed per window, however many arrive at once.
   */
  attempt(address: string): AttemptDecision;
  /** Whether `address` may try now, without reserving (for status displays and tests). */
  peek(address: string): RateLimitDecision;
  /** Counts one failure that was never reserved (e.g. a malformed frame before any credential was read). */
  recordFailure(address: string): RateLimitDecision;
  readonly trackedAddresses: number;
}

interface AttemptRecord {
  failures: number[];
  /** Checks reserved but not yet finished: they count as failures until they say otherwise. */
  pending: number;
  lockedUntil: number;
}

/** While only in-flight checks fill the window, a caller is told to come back this soon. */
const PENDING_RETRY_MS = 1_000;

export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  return plain === "::1" || plain.startsWith("127.") || plain === "localhost";
}

const EXEMPT: AttemptReservation = {
  allowed: true,
  fail: () => ({ allowed: true }),
  succeed: () => {},
  release: () => {},
};

/**
 * Counts failed credential checks per client address in a sliding window and locks an address out once it
 * reaches `maxAttempts`. A check is reserved before the credential is even resolved, so a burst of parallel
 * guesses cannot slip past the count while earlier ones are still awaiting (the race found in issue 12). The
 * limiter has no switch other than its options: every failed check counts, whatever else the request carried
 * (OpenClaw's PR 57647 lesson).
 */
export function createAuthRateLimiter(options: AuthRateLimitOptions): AuthRateLimiter {
  const now = options.now ?? Date.now;
  const maxTracked = options.maxTrackedAddresses ?? 10_000;
  const records = new Map<string, AttemptRecord>();

  const exempt = (address: string) => options.exemptLoopback && isLoopbackAddress(address);

  function prune(record: AttemptRecord, at: number): void {
    const cutoff = at - options.windowMs;
    while (record.failures.length > 0 && (record.failures[0] ?? 0) <= cutoff) record.failures.shift();
  }

  function idle(record: AttemptRecord, at: number): boolean {
    return record.failures.length === 0 && record.pending === 0 && record.lockedUntil <= at;
  }

  function evictIfFull(): void {
    if (records.size < maxTracked) return;
    const at = now();
    for (const [address, record] of records) {
      prune(record, at);
      if (idle(record, at)) records.delete(address);
    }
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const address of records.keys()) {
      if (records.size < maxTracked) break;
      records.delete(address);
    }
  }

  function recordFor(address: string): AttemptRecord {
    let record = records.get(address);
    if (!record) {
      evictIfFull();
      record = { failures: [], pending: 0, lockedUntil: 0 };
      records.set(address, record);
    }
    return record;
  }

  function peekRecord(record: AttemptRecord | undefined, at: number): RateLimitDecision {
    if (!record) return { allowed: true };
    if (record.lockedUntil > at) return { allowed: false, retryAfterMs: record.lockedUntil - at };
    prune(record, at);
    if (record.failures.length + record.pending < options.maxAttempts) return { allowed: true };
    const oldest = record.failures[0];
    const retryAfterMs =
      oldest !== undefined && record.pending === 0 ? oldest + options.windowMs - at : PENDING_RETRY_MS;
    return { allowed: false, retryAfterMs: Math.max(1, retryAfterMs) };
  }

  function failNow(record: AttemptRecord): RateLimitDecision {
    const at = now();
    if (record.lockedUntil > at) return { allowed: false, retryAfterMs: record.lockedUntil - at };
    prune(record, at);
    record.failures.push(at);
    if (record.failures.length >= options.maxAttempts) {
      record.lockedUntil = at + options.lockoutMs;
      record.failures = [];
      return { allowed: false, retryAfterMs: options.lockoutMs };
    }
    return { allowed: true };
  }

  function attempt(address: string): AttemptDecision {
    if (exempt(address)) return EXEMPT;
    const at = now();
    const decision = peekRecord(records.get(address), at);
    if (!decision.allowed) return decision;
    const record = recordFor(address);
    record.pending += 1;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      record.pending -= 1;
      // An evicted record may come back: keep the live one in the map.
      if (!records.has(address)) records.set(address, record);
      return true;
    };
    return {
      allowed: true,
      fail: () => (settle() ? failNow(record) : peekRecord(record, now())),
      succeed: () => {
        if (!settle()) return;
        const at2 = now();
        if (record.lockedUntil <= at2) record.failures = [];
        if (idle(record, at2)) records.delete(address);
      },
      release: () => {
        if (settle() && idle(record, now())) records.delete(address);
      },
    };
  }

  return {
    attempt,
    peek: (address) => (exempt(address) ? { allowed: true } : peekRecord(records.get(address), now())),
    recordFailure(address) {
      if (exempt(address)) return { allowed: true };
      return failNow(recordFor(address));
    },
    get trackedAddresses() {
      return records.size;
    },
  };
}
