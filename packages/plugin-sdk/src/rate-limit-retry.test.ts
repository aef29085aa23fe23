import { describe, expect, it } from "vitest";
import { retryOnRateLimit, waitSeconds } from "./rate-limit-retry.js";

class RateLimited extends Error {
  constructor(readonly retryAfter: number) {
    super("429");
  }
}

const options = (signal = new AbortController().signal) => ({
  policy: { maxAttempts: 3, maxRetryAfterSeconds: 1 },
  signal,
  retryAfterSeconds: (error: unknown) => (error instanceof RateLimited ? error.retryAfter : undefined),
  giveUp: ({ attempt }: { attempt: number }) => new Error(`gave up after ${attempt}`),
});

describe("retryOnRateLimit", () => {
  it("retries rate-limit answers after the asked-for wait and returns the result", async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await retryOnRateLimit(
      async () => {
        calls += 1;
        if (calls < 3) throw new RateLimited(0.01);
        return "ok";
      },
      { ...options(), onWait: ({ retryAfterSeconds }) => waits.push(retryAfterSeconds) },
    );
    expect(result).toBe("ok");
    expect(waits).toEqual([0.01, 0.01]);
  });

  it("gives up at the attempt bound or on a too-long wait, and passes other errors through", async () => {
    await expect(retryOnRateLimit(() => Promise.reject(new RateLimited(0.01)), options())).rejects.toThrow(
      "gave up after 3",
    );
    await expect(retryOnRateLimit(() => Promise.reject(new RateLimited(5)), options())).rejects.toThrow(
      "gave up after 1",
    );
    await expect(retryOnRateLimit(() => Promise.reject(new Error("boom")), options())).rejects.toThrow(
      "boom",
    );
  });

  it("stops waiting as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = waitSeconds(60, controller.signal);
    controller.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
  });
});
