import { describe, expect, it } from "vitest";
import { OutputRing } from "./output-ring.js";
import { sliceLogLines } from "./process-log.js";

const numbered = (count: number) => Array.from({ length: count }, (_, index) => `line ${index}`).join("\n");

describe("sliceLogLines", () => {
  it("shows the last 200 lines by default, and says how to page", () => {
    const page = sliceLogLines(`${numbered(250)}\n`, undefined, undefined, 100_000);
    expect(page).toMatchObject({ offset: 50, totalLines: 250 });
    expect(page.text.split("\n")).toHaveLength(200);
    expect(page.note).toContain("last 200 of 250 lines");
  });

  it("pages with offset and limit as OpenClaw does: limit alone is a tail, offset alone runs to the end", () => {
    const text = numbered(10);
    expect(sliceLogLines(text, 2, 3, 1_000)).toMatchObject({ text: "line 2\nline 3\nline 4", offset: 2 });
    expect(sliceLogLines(text, undefined, 2, 1_000)).toMatchObject({ text: "line 8\nline 9", offset: 8 });
    expect(sliceLogLines(text, 8, undefined, 1_000)).toMatchObject({ text: "line 8\nline 9", offset: 8 });
    expect(sliceLogLines(text, 50, 5, 1_000)).toMatchObject({ text: "", offset: 10, totalLines: 10 });
    expect(sliceLogLines("", undefined, undefined, 1_000)).toEqual({ text: "", offset: 0, totalLines: 0 });
  });

  it("cuts a page that is too long at whole lines from the end it is anchored to, with the next step", () => {
    const text = numbered(100);
    const head = sliceLogLines(text, 0, 100, 30);
    expect(head).toMatchObject({ text: "line 0\nline 1\nline 2\nline 3", offset: 0 });
    expect(head.note).toContain("continue with offset 4");
    const tail = sliceLogLines(text, undefined, 100, 30);
    expect(tail).toMatchObject({ text: "line 97\nline 98\nline 99", offset: 97 });
    expect(tail.note).toContain("lines 0-96");
    const oneLongLine = sliceLogLines("x".repeat(50), 0, undefined, 10);
    expect(oneLongLine.text).toBe("x".repeat(10));
    expect(oneLongLine.note).toBeDefined();
  });
});

describe("OutputRing", () => {
  it("keeps the newest characters and counts positions from the first character ever written", () => {
    const ring = new OutputRing(10);
    ring.append("abcdef");
    ring.append("ghijkl");
    ring.append("");
    expect(ring.end).toBe(12);
    expect(ring.start).toBe(2);
    expect(ring.textFrom(0)).toBe("cdefghijkl");
    expect(ring.textFrom(8)).toBe("ijkl");
    ring.append("x".repeat(25));
    expect(ring.start).toBe(27);
    expect(ring.textFrom(ring.start)).toBe("x".repeat(10));
  });
});
