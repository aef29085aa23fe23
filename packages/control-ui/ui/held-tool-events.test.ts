import { describe, expect, it } from "vitest";
import { HeldToolEvents } from "./held-tool-events.js";
import type { ToolEvent } from "./tool-call.js";

const event = (phase: ToolEvent["phase"], toolCallId: string, extra: Partial<ToolEvent> = {}): ToolEvent => ({
  phase,
  toolCallId,
  name: "exec",
  ...extra,
});

describe("HeldToolEvents", () => {
  it("gives back a run's events in order, once", () => {
    const held = new HeldToolEvents();
    held.hold("r1", event("start", "c1"));
    held.hold("r1", event("result", "c1"));
    expect(held.take("r1").map((e) => e.phase)).toEqual(["start", "result"]);
    expect(held.take("r1")).toEqual([]);
  });

  it("keeps only the latest update of a call", () => {
    const held = new HeldToolEvents();
    held.hold("r1", event("start", "c1"));
    for (let i = 0; i < 1_000; i++) held.hold("r1", event("update", "c1", { partialResult: i }));
    expect(held.take("r1")).toEqual([event("start", "c1"), event("update", "c1", { partialResult: 999 })]);
  });

  it("bounds the runs and the events per run", () => {
    const held = new HeldToolEvents();
    for (let run = 0; run < 100; run++) held.hold(`r${run}`, event("start", "c"));
    expect(held.runCount).toBe(32);
    expect(held.take("r0")).toEqual([]);
    expect(held.take("r99")).toHaveLength(1);
    for (let i = 0; i < 1_000; i++) held.hold("big", event("start", `c${i}`));
    expect(held.take("big")).toHaveLength(256);
  });
});
