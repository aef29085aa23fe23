import { describe, expect, it } from "vitest";
import { createAccountRegistry } from "./account-registry.js";

describe("createAccountRegistry", () => {
  it("finds a registered account and forgets it once unregistered", () => {
    const registry = createAccountRegistry<{ accountId: string }>((id) => new Error(`${id} is not running`));
    const unregister = registry.register({ accountId: "a" });
    expect(registry.running("a")).toEqual({ accountId: "a" });
    unregister();
    expect(registry.get("a")).toBeUndefined();
    expect(() => registry.running("a")).toThrow("a is not running");
  });

  it("keeps a newer runtime when an older one unregisters late", () => {
    const registry = createAccountRegistry<{ accountId: string; generation: number }>(
      () => new Error("stopped"),
    );
    const unregisterOld = registry.register({ accountId: "a", generation: 1 });
    registry.register({ accountId: "a", generation: 2 });
    unregisterOld();
    expect(registry.running("a").generation).toBe(2);
  });
});
