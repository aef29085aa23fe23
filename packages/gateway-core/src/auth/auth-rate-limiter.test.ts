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
    expect(instance.check("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 200_000 });
    expect(instance.check("10.0.0.2")).toEqual({ allowed: true });
  });

  it("lets the address try again once the lockout has passed", () => {
    const { instance, advance } = limiter();
    for (let i = 0; i < 3; i += 1) instance.recordFailure("10.0.0.1");
    advance(300_000);
    expect(instance.check("10.0.0.1")).toEqual({ allowed: true });
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
    expect(exempt.check("127.0.0.1")).toEqual({ allowed: true });
    const strict = limiter({ exemptLoopback: false }).instance;
    for (let i = 0; i < 3; i += 1) strict.recordFailure("::ffff:127.0.0.1");
    expect(strict.check("::ffff:127.0.0.1").allowed).toBe(false);
  });

  it("a success does not lift an active lockout", () => {
    const { instance } = limiter();
    for (let i = 0; i < 3; i += 1) instance.recordFailure("10.0.0.1");
    instance.recordSuccess("10.0.0.1");
    expect(instance.check("10.0.0.1").allowed).toBe(false);
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
