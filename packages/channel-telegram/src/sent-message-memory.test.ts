import { describe, expect, it } from "vitest";
import { SentMessageMemory } from "./sent-message-memory.js";

describe("SentMessageMemory", () => {
  it("forgets the oldest messages beyond its capacity", () => {
    const memory = new SentMessageMemory(2);
    memory.remember("1", "10");
    memory.remember("1", "11", "7");
    memory.remember("1", "12");
    expect(memory.lookup("1", "10")).toBeUndefined();
    expect(memory.lookup("1", "11")).toEqual({ threadId: "7" });
    expect(memory.lookup("1", "12")).toEqual({});
  });

  it("waits for a send in flight, but not longer than the bound", async () => {
    const memory = new SentMessageMemory();
    let finish!: () => void;
    const send = memory.track("1", () =>
      new Promise<void>((resolve) => (finish = resolve)).then(() => memory.remember("1", "5")),
    );
    const waited = memory.settled("1").then(() => memory.lookup("1", "5"));
    finish();
    await send;
    expect(await waited).toEqual({});

    const stuck = memory.track("2", () => new Promise<void>(() => undefined));
    const started = Date.now();
    await memory.settled("2", 50);
    expect(Date.now() - started).toBeLessThan(5000);
    void stuck;
  });
});
