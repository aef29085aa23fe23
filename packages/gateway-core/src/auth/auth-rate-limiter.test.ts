import { describe, expect, it } from "vitest";
import { createAuthRateLimiter, isLoopbackAddress } from "./auth-rate-limiter.js";

function limiter(overrides: Partial<Parameters<typeof createAuthRateLimiter>[0]> = {}) {
  let now = 1_000_000;
  const instance = createAuthRateLimiter({
    maxAttempts: 3,
    windowMs: 60_000,
    lockoutMs: 300_000,
    exemptLoopback: true,
    now: () => now,
    ...overrides,
  });
  return { instance, advance: (ms: number) => (now += ms) };
}

describe("createAuthRateLimiter", () => {
  it("locks an address out on the maxAttempts-th failure and reports how long", () => {
    const { instance, advance } = limiter();
    expect(instance.recordFailure("10.0.0.1")).toEqual({ allowed: true });
    expect(instance.recordFailure("10.0.0.1")).toEqual({ allowed: true });
    expect(instance.recordFailure("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 300_000 });
    advance(100_000);
    expect(instance.peek("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 200_000 });
    expect(instance.peek("10.0.0.2")).toEqual({ allowed: true });
  });

  it("lets the address try again once the lockout has passed", () => {
    const { instance, advance } = limiter();
    for (let i = 0; i < 3; i += 1) instance.recordFailure("10.0.0.1");
    advance(300_000);
    expect(instance.peek("10.0.0.1")).toEqual({ allowed: true });
    expect(instance.recordFailure("10.0.0.1")).toEqual({ allowed: true });
  });

  it("forgets failures older than the window", () => {
    const { instance, advance } = limiter();
    instance.recordFailure("10.0.0.1");
    instance.recordFailure("10.0.0.1");
    advance(60_001);
    expect(instance.recordFailure("10.0.0.1")).toEqual({ allowed: true });
  });

  it("exempts loopback only when configured to", () => {
    const exempt = limiter().instance;
    for (let i = 0; i < 10; i += 1) exempt.recordFailure("127.0.0.1");
    expect(exempt.peek("127.0.0.1")).toEqual({ allowed: true });
    const strict = limiter({ exemptLoopback: false }).instance;
    for (let i = 0; i < 3; i += 1) strict.recordFailure("::ffff:127.0.0.1");
    expect(strict.peek("::ffff:127.0.0.1").allowed).toBe(false);
  });

  it("a success does not lift an active lockout", () => {
    const { instance } = limiter();
    const late = instance.attempt("10.0.0.1");
    for (let i = 0; i < 2; i += 1) instance.recordFailure("10.0.0.1");
    expect(instance.recordFailure("10.0.0.1").allowed).toBe(false);
    if (late.allowed) late.succeed();
    expect(instance.peek("10.0.0.1").allowed).toBe(false);
  });

  it("reserves attempts synchronously: a parallel burst gets at most maxAttempts checks", () => {
    const { instance } = limiter();
    // 100 attempts arrive before any of them has finished its (asynchronous) credential check.
    const decisions = Array.from({ length: 100 }, () => instance.attempt("10.0.0.1"));
    const reserved = decisions.filter((decision) => decision.allowed);
    expect(reserved).toHaveLength(3);
    for (const decision of reserved) if (decision.allowed) decision.fail();
    // Locked out now: even the right credential is not checked.
    expect(instance.attempt("10.0.0.1").allowed).toBe(false);
  });

  it("a success clears failed history but keeps other in-flight reservations counted", () => {
    const { instance } = limiter();
    instance.recordFailure("10.0.0.1");
    const right = instance.attempt("10.0.0.1");
    const wrong = instance.attempt("10.0.0.1");
    expect(instance.attempt("10.0.0.1").allowed).toBe(false);
    if (right.allowed) right.succeed();
    if (wrong.allowed) expect(wrong.fail()).toEqual({ allowed: true });
    expect(instance.peek("10.0.0.1")).toEqual({ allowed: true });
  });

  it("a released reservation is not counted, and settling twice counts once", () => {
    const { instance } = limiter();
    for (let i = 0; i < 10; i += 1) {
      const attempt = instance.attempt("10.0.0.1");
      if (attempt.allowed) attempt.release();
    }
    expect(instance.trackedAddresses).toBe(0);
    const attempt = instance.attempt("10.0.0.1");
    if (!attempt.allowed) throw new Error("expected a reservation");
    attempt.fail();
    attempt.fail();
    attempt.fail();
    expect(instance.peek("10.0.0.1")).toEqual({ allowed: true });
  });

  it("keeps memory bounded under a flood of distinct addresses", () => {
    const { instance } = limiter({ maxTrackedAddresses: 100 });
    for (let i = 0; i < 1000; i += 1) instance.recordFailure(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(instance.trackedAddresses).toBeLessThanOrEqual(100);
  });

  it("recognises loopback addresses", () => {
    expect(isLoopbackAddress("127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::1")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.5")).toBe(true);
    expect(isLoopbackAddress("10.0.0.1")).toBe(false);
  });
});
