import { describe, expect, it } from "vitest";
import { renderFormattedText } from "./formatted-text.js";

describe("renderFormattedText", () => {
  it("passes plain text through", () => {
    expect(renderFormattedText("a < b & 3.50!", undefined)).toEqual({ ok: true, text: "a < b & 3.50!" });
  });

  it("HTML: strips supported tags and decodes entities", () => {
    expect(
      renderFormattedText('<b>bold</b> <a href="https://x.test">link</a> &lt;3 &amp; &#33;', "HTML"),
    ).toEqual({
      ok: true,
      text: "bold link <3 & !",
    });
  });

  it("HTML: refuses unsupported, unbalanced and unclosed tags", () => {
    expect(renderFormattedText("1 <foo> 2", "HTML")).toEqual({
      ok: false,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 2',
    });
    expect(renderFormattedText("<b>x</i>", "HTML")).toMatchObject({
      ok: false,
      description: expect.stringContaining("Unexpected end tag at byte offset 4"),
    });
    expect(renderFormattedText("<b>x", "HTML")).toMatchObject({
      ok: false,
      description: expect.stringContaining('Can\'t find end tag corresponding to start tag "b"'),
    });
  });

  it("MarkdownV2: needs reserved characters escaped and entities closed", () => {
    expect(renderFormattedText("*bold* \\. `code.` [site](https://x.test/a\\)b)", "MarkdownV2")).toEqual({
      ok: true,
      text: "bold . code. site",
    });
    expect(renderFormattedText("end.", "MarkdownV2")).toMatchObject({
      ok: false,
      description:
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    expect(renderFormattedText("é *open", "MarkdownV2")).toMatchObject({
      ok: false,
      description: expect.stringContaining("Can't find end of Bold entity at byte offset 3"),
    });
  });

  it("Markdown: closes *, _ and ` entities", () => {
    expect(renderFormattedText("*bold* _it_ `c` [a](https://x.test)", "Markdown")).toEqual({
      ok: true,
      text: "bold it c a",
    });
    expect(renderFormattedText("snake_case", "Markdown")).toMatchObject({
      ok: false,
      description: expect.stringContaining("Can't find end of the entity starting at byte offset 5"),
    });
  });

  it("an unknown parse_mode is a 400", () => {
    expect(renderFormattedText("x", "BBCode")).toMatchObject({ ok: false });
  });
});
