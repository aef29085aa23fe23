import { afterEach, describe, expect, it, vi } from "vitest";
import { type LogsTailPage, LogsTailPoller } from "./logs-tail-poller.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("LogsTailPoller", () => {
  it("passes the last cursor on, one call at a time, every interval", async () => {
    vi.useFakeTimers();
    const cursors: (number | undefined)[] = [];
    const pages: LogsTailPage[] = [
      { cursor: 10, lines: ["a", "b"] },
      { cursor: 10, lines: [] },
      { cursor: 3, lines: ["c"], reset: true },
    ];
    const received: [string[], boolean][] = [];
    const poller = new LogsTailPoller({
      fetchPage: async (cursor) => {
        cursors.push(cursor);
        return pages.shift() ?? { cursor: 3, lines: [] };
      },
      onLines: (lines, reset) => received.push([lines, reset]),
      onError: (error) => {
        throw error;
      },
      intervalMs: 1000,
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(cursors).toEqual([undefined]);
    await vi.advanceTimersByTimeAsync(999);
    expect(cursors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(cursors).toEqual([undefined, 10, 10]);
    expect(received).toEqual([
      [["a", "b"], false],
      [["c"], true],
    ]);
    expect(poller.cursor).toBe(3);
    poller.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(cursors).toHaveLength(3);
  });

  it("reports a failed call and keeps polling", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const errors: unknown[] = [];
    const poller = new LogsTailPoller({
      fetchPage: async () => {
        calls += 1;
        if (calls === 1) throw new Error("not connected");
        return { cursor: 1, lines: ["ok"] };
      },
      onLines: () => {},
      onError: (error) => errors.push(error),
      intervalMs: 500,
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(500);
    poller.stop();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
    expect(poller.cursor).toBe(1);
  });
});
