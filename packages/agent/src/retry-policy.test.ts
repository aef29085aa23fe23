import { describe, expect, it } from "vitest";
import { classifyProviderFailure, DEFAULT_RETRY_POLICY, retryDelayMs } from "./retry-policy.js";

describe("classifyProviderFailure", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("retries 429, 408 and 5xx but not other 4xx", () => {
    expect(classifyProviderFailure({ statusCode: 429 }, now).retryable).toBe(true);
    expect(classifyProviderFailure({ statusCode: 408 }, now).retryable).toBe(true);
    expect(classifyProviderFailure({ statusCode: 503 }, now).retryable).toBe(true);
    expect(classifyProviderFailure({ statusCode: 400 }, now).retryable).toBe(false);
    expect(classifyProviderFailure({ statusCode: 401 }, now).retryable).toBe(false);
  });

  it("follows the SDK's verdict on connection failures", () => {
    expect(classifyProviderFailure({ isRetryable: true }, now).retryable).toBe(true);
    expect(classifyProviderFailure(new Error("boom"), now).retryable).toBe(false);
  });

  it("reads Retry-After as seconds, as a date, and retry-after-ms", () => {
    const seconds = classifyProviderFailure(
      { statusCode: 429, responseHeaders: { "retry-after": "3" } },
      now,
    );
    expect(seconds.retryAfterMs).toBe(3_000);
    const date = classifyProviderFailure(
      { statusCode: 429, responseHeaders: { "Retry-After": "Thu, 01 Jan 2026 00:00:05 GMT" } },
      now,
    );
    expect(date.retryAfterMs).toBe(5_000);
    const ms = classifyProviderFailure(
      { statusCode: 429, responseHeaders: { "retry-after-ms": "250" } },
      now,
    );
    expect(ms.retryAfterMs).toBe(250);
  });
});

describe("retryDelayMs", () => {
  const failure = { statusCode: 500, retryable: true, retryAfterMs: undefined };

  it("backs off exponentially up to the cap", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 350 };
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs(policy, attempt, failure))).toEqual([
      100, 200, 350, 350,
    ]);
  });

  it("prefers the server's Retry-After, capped at a minute", () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, { ...failure, retryAfterMs: 2_000 })).toBe(2_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, { ...failure, retryAfterMs: 3_600_000 })).toBe(60_000);
  });
});
