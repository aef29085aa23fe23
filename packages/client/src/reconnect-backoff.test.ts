import { describe, expect, it } from "vitest";
import { DEFAULT_RECONNECT_POLICY, reconnectDelayMs, resolveReconnectPolicy } from "./reconnect-backoff.js";

describe("resolveReconnectPolicy", () => {
  it("is off unless asked for", () => {
    expect(resolveReconnectPolicy(undefined)).toBeUndefined();
    expect(resolveReconnectPolicy(false)).toBeUndefined();
  });

  it("fills defaults around the given fields", () => {
    expect(resolveReconnectPolicy(true)).toEqual(DEFAULT_RECONNECT_POLICY);
    expect(resolveReconnectPolicy({ maxAttempts: 3 })).toEqual({
      ...DEFAULT_RECONNECT_POLICY,
      maxAttempts: 3,
    });
  });
});

describe("reconnectDelayMs", () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 10 };

  it("doubles per attempt between half and all of the exponential delay", () => {
    expect(reconnectDelayMs(policy, 1, () => 0)).toBe(50);
    expect(reconnectDelayMs(policy, 1, () => 1)).toBe(100);
    expect(reconnectDelayMs(policy, 2, () => 1)).toBe(200);
    expect(reconnectDelayMs(policy, 3, () => 0.5)).toBe(300);
  });

  it("never exceeds maxDelayMs", () => {
    expect(reconnectDelayMs(policy, 50, () => 1)).toBe(1_000);
    expect(reconnectDelayMs(policy, 50, () => 0)).toBe(500);
  });
});
