import { describe, expect, it } from "vitest";
import { ClusterSubscriptions } from "./cluster-subscriptions.js";

describe("ClusterSubscriptions", () => {
  it("delivers to every listener of the topic, twice to one subscribed twice, and unsubscribes one at a time", () => {
    const subscriptions = new ClusterSubscriptions();
    const seen: string[] = [];
    const listener = (payload: unknown, origin: string) => seen.push(`${String(payload)}@${origin}`);
    const first = subscriptions.subscribe("jobs", listener);
    subscriptions.subscribe("jobs", listener);
    subscriptions.subscribe("other", () => seen.push("other"));
    subscriptions.deliver("jobs", 1, "a");
    expect(seen).toEqual(["1@a", "1@a"]);

    first();
    first();
    subscriptions.deliver("jobs", 2, "b");
    expect(seen).toEqual(["1@a", "1@a", "2@b"]);
  });

  it("forgets a topic once its last listener leaves", () => {
    const subscriptions = new ClusterSubscriptions();
    const unsubscribe = subscriptions.subscribe("jobs", () => {});
    expect(subscriptions.has("jobs")).toBe(true);
    unsubscribe();
    expect(subscriptions.has("jobs")).toBe(false);
    subscriptions.subscribe("jobs", () => {});
    subscriptions.clear();
    expect(subscriptions.has("jobs")).toBe(false);
  });

  it("logs a listener that throws and still delivers to the others", () => {
    const warnings: Array<{ event: string; fields?: Record<string, unknown> }> = [];
    const subscriptions = new ClusterSubscriptions({
      warn: (event, fields) => warnings.push({ event, fields }),
    });
    const seen: unknown[] = [];
    subscriptions.subscribe("jobs", () => {
      throw new Error("boom");
    });
    subscriptions.subscribe("jobs", (payload) => seen.push(payload));
    subscriptions.deliver("jobs", { id: 1 }, "a");
    expect(seen).toEqual([{ id: 1 }]);
    expect(warnings).toEqual([
      { event: "cluster.listener_failed", fields: { topic: "jobs", error: "Error: boom" } },
    ]);
  });

  it("refuses an invalid topic", () => {
    expect(() => new ClusterSubscriptions().subscribe("Not A Topic", () => {})).toThrow(/cluster topic/);
  });
});
