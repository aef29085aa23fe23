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

export interface AuthRateLimiter {
  /** Whether `address` may try a credential now. Call before checking the credential. */
  check(address: string): RateLimitDecision;
  /** Counts one failed credential check; returns the decision for the next attempt. */
  recordFailure(address: string): RateLimitDecision;
  /** A success clears the address's failure history. */
  recordSuccess(address: string): void;
  readonly trackedAddresses: number;
}

interface AttemptRecord {
  failures: number[];
  lockedUntil: number;
}

export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  return plain === "::1" || plain.startsWith("127.") || plain === "localhost";
}

/**
 * Counts failed credential checks per client address in a sliding window and locks an address out once it
 * reaches `maxAttempts`. The limiter has no switch other than its options: every failed check counts,
 * whatever else the request carried (OpenClaw's PR 57647 lesson).
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

  function evictIfFull(): void {
    if (records.size < maxTracked) return;
    const at = now();
    for (const [address, record] of records) {
      prune(record, at);
      if (record.failures.length === 0 && record.lockedUntil <= at) records.delete(address);
    }
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const address of records.keys()) {
      if (records.size < maxTracked) break;
      records.delete(address);
    }
  }

  function check(address: string): RateLimitDecision {
    if (exempt(address)) return { allowed: true };
    const record = records.get(address);
    if (!record) return { allowed: true };
    const at = now();
    if (record.lockedUntil > at) return { allowed: false, retryAfterMs: record.lockedUntil - at };
    prune(record, at);
    if (record.failures.length === 0 && record.lockedUntil !== 0) records.delete(address);
    return { allowed: true };
  }

  function recordFailure(address: string): RateLimitDecision {
    if (exempt(address)) return { allowed: true };
    const at = now();
    let record = records.get(address);
    if (!record) {
      evictIfFull();
      record = { failures: [], lockedUntil: 0 };
      records.set(address, record);
    }
    prune(record, at);
    record.failures.push(at);
    if (record.failures.length >= options.maxAttempts) {
      record.lockedUntil = at + options.lockoutMs;
      record.failures = [];
      return { allowed: false, retryAfterMs: options.lockoutMs };
    }
    return { allowed: true };
  }

  return {
    check,
    recordFailure,
    recordSuccess(address) {
      const record = records.get(address);
      if (record && record.lockedUntil <= now()) records.delete(address);
    },
    get trackedAddresses() {
      return records.size;
    },
  };
}
