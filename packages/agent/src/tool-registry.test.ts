import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolRegistry } from "./tool-registry.js";
import type { AgentTool } from "./types.js";

const echo: AgentTool = {
  name: "echo",
  description: "Returns its input",
  parameters: z.object({ value: z.string() }),
  execute: async (args) => args,
};

describe("createToolRegistry", () => {
  it("registers, lists, finds and unregisters a tool", () => {
    const registry = createToolRegistry();
    const unregister = registry.register(echo);
    expect(registry.get("echo")).toBe(echo);
    expect(registry.list()).toEqual([echo]);
    unregister();
    expect(registry.get("echo")).toBeUndefined();
    expect(registry.list()).toEqual([]);
  });

  it("refuses a duplicate name and a name providers would reject", () => {
    const registry = createToolRegistry();
    registry.register(echo);
    expect(() => registry.register({ ...echo })).toThrow(/already registered/);
    expect(() => registry.register({ ...echo, name: "has space" })).toThrow(/is invalid/);
  });

  it("does not let a stale unregister remove a newer tool of the same name", () => {
    const registry = createToolRegistry();
    const unregisterFirst = registry.register(echo);
    unregisterFirst();
    const second = { ...echo };
    registry.register(second);
    unregisterFirst();
    expect(registry.get("echo")).toBe(second);
  });
});
