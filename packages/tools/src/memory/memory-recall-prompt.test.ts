import { describe, expect, it } from "vitest";
import { memoryRecallPromptSection } from "./memory-recall-prompt.js";

describe("memoryRecallPromptSection", () => {
  it("asks for memory_search then memory_get when both are offered", () => {
    const section = memoryRecallPromptSection(new Set(["read", "memory_search", "memory_get"]));
    expect(section.startsWith("## Memory Recall\n")).toBe(true);
    expect(section).toContain("run memory_search, then memory_get");
    expect(section).toContain("Source: <path#line>");
  });

  it("names only the tool that is offered, and is empty without either", () => {
    expect(memoryRecallPromptSection(new Set(["memory_search"]))).not.toContain("memory_get");
    expect(memoryRecallPromptSection(new Set(["memory_get"]))).not.toContain("memory_search");
    expect(memoryRecallPromptSection(new Set(["read", "write"]))).toBe("");
  });
});
