import { describe, expect, it } from "vitest";
import { parseMediaDirectives } from "./media-directives.js";

describe("parseMediaDirectives", () => {
  it("takes standalone MEDIA: lines out of the reply, in order", () => {
    const reply = "Here is the chart.\n\nMEDIA:/workspace/chart.png\nAnd the data:\nMEDIA: ./out/data.csv";
    expect(parseMediaDirectives(reply)).toEqual({
      text: "Here is the chart.\n\nAnd the data:",
      media: ["/workspace/chart.png", "./out/data.csv"],
    });
  });

  it("accepts https, data: and file: URLs, ~/ paths, several references per line and up to three spaces in", () => {
    const reply = [
      "MEDIA:https://example.com/a.png",
      "   media:data:image/png;base64,iVBORw0KGgo=",
      "MEDIA:file:///tmp/x.ogg ~/pictures/y.jpg",
    ].join("\n");
    expect(parseMediaDirectives(reply)).toEqual({
      text: "",
      media: [
        "https://example.com/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///tmp/x.ogg",
        "~/pictures/y.jpg",
      ],
    });
  });

  it("keeps a quoted reference whole, spaces and trailing punctuation included", () => {
    expect(parseMediaDirectives('MEDIA:"/workspace/my report.pdf"').media).toEqual([
      "/workspace/my report.pdf",
    ]);
    expect(parseMediaDirectives('MEDIA:"https://example.com/v.mp4?t=1,"').media).toEqual([
      "https://example.com/v.mp4?t=1,",
    ]);
    expect(parseMediaDirectives("MEDIA:/workspace/my report.pdf").media).toEqual([
      "/workspace/my report.pdf",
    ]);
  });

  it("leaves MEDIA: inside prose, Markdown wrappers and code as text", () => {
    for (const reply of [
      "Here is your image: MEDIA:/workspace/image.png",
      "**MEDIA:/workspace/image.png**",
      "`MEDIA:/workspace/image.png`",
      "    MEDIA:/workspace/indented.png",
      "\tMEDIA:/workspace/tabbed.png",
      "```\nMEDIA:/workspace/fenced.png\n```",
      "~~~md\nMEDIA:/workspace/fenced.png\n~~~",
    ]) {
      expect(parseMediaDirectives(reply)).toEqual({ text: reply, media: [] });
    }
  });

  it("refuses plain http, other schemes, traversal and user info, leaving those lines as text", () => {
    for (const reply of [
      "MEDIA:http://example.com/a.png",
      "MEDIA:javascript:alert(1)",
      "MEDIA:../../etc/passwd",
      "MEDIA:https://user:pw@example.com/a.png",
      "MEDIA:",
    ]) {
      expect(parseMediaDirectives(reply)).toEqual({ text: reply, media: [] });
    }
  });

  it("returns text without MEDIA: unchanged", () => {
    const reply = "  just an answer\n\n";
    expect(parseMediaDirectives(reply)).toEqual({ text: reply, media: [] });
  });
});
