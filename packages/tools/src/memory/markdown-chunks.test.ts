import { describe, expect, it } from "vitest";
import { chunkMarkdown } from "./markdown-chunks.js";

const ranges = (content: string, maxChars?: number) =>
  chunkMarkdown(content, maxChars).map((chunk) => [chunk.startLine, chunk.endLine, chunk.heading]);

describe("chunkMarkdown", () => {
  it("starts a chunk at each heading, keeping a title with the section below it", () => {
    const note = ["# Title", "", "## One", "first", "", "second", "## Two", "third", ""].join("\n");
    expect(ranges(note)).toEqual([
      [1, 6, "One"],
      [7, 8, "Two"],
    ]);
    expect(chunkMarkdown(note)[0]?.text).toBe("# Title\n\n## One\nfirst\n\nsecond");
  });

  it("gathers paragraphs up to the size limit and cuts between them", () => {
    const paragraph = "word ".repeat(20).trim();
    const note = [paragraph, "", paragraph, "", paragraph].join("\n");
    expect(ranges(note, 250)).toEqual([
      [1, 3, ""],
      [5, 5, ""],
    ]);
  });

  it("keeps a fenced code block whole even with blank lines and # lines inside", () => {
    const note = ["intro", "", "```sh", "# not a heading", "", "echo hi", "```", "", "after"].join("\n");
    const chunks = chunkMarkdown(note);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ startLine: 1, endLine: 9, heading: "" });
  });

  it("cuts an overlong block between lines and never loses a line", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `- item ${i} ${"x".repeat(40)}`);
    const chunks = chunkMarkdown(lines.join("\n"), 400);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks[0]?.startLine).toBe(1);
    expect(chunks.at(-1)?.endLine).toBe(50);
    for (const [index, chunk] of chunks.entries()) {
      if (index > 0) expect(chunk.startLine).toBe((chunks[index - 1]?.endLine ?? 0) + 1);
      expect(chunk.text.length).toBeLessThanOrEqual(400);
    }
  });

  it("returns nothing for an empty or blank note and handles CRLF", () => {
    expect(chunkMarkdown("")).toEqual([]);
    expect(chunkMarkdown("\n\n  \n")).toEqual([]);
    expect(ranges("## A\r\nbody\r\n")).toEqual([[1, 2, "A"]]);
  });
});
