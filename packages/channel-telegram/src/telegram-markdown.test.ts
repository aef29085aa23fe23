import { describe, expect, it } from "vitest";
import { escapeMarkdownV2, markdownToTelegramMarkdownV2 } from "./telegram-markdown.js";

describe("markdownToTelegramMarkdownV2", () => {
  it("escapes every MarkdownV2 special character in plain prose", () => {
    expect(markdownToTelegramMarkdownV2("Done. Cost: 3+4=7 (approx)!")).toBe(
      "Done\\. Cost: 3\\+4\\=7 \\(approx\\)\\!",
    );
    expect(escapeMarkdownV2("_*[]()~`>#+-=|{}.!\\")).toBe(
      "\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\",
    );
  });

  it("maps bold, italic, strike, inline code and links", () => {
    expect(markdownToTelegramMarkdownV2("**bold** and *it* and _it2_ and ~~gone~~")).toBe(
      "*bold* and _it_ and _it2_ and ~gone~",
    );
    expect(markdownToTelegramMarkdownV2("run `a_b.c` now")).toBe("run `a_b.c` now");
    expect(markdownToTelegramMarkdownV2("see [the *docs*](https://x.test/a_b?q=1).")).toBe(
      "see [the _docs_](https://x.test/a_b?q=1)\\.",
    );
  });

  it("leaves snake_case and arithmetic literal", () => {
    expect(markdownToTelegramMarkdownV2("use my_var_name and 2*3*4")).toBe(
      "use my\\_var\\_name and 2\\*3\\*4",
    );
  });

  it("renders fenced code with only ` and \\ escaped, and closes an unclosed fence", () => {
    expect(markdownToTelegramMarkdownV2("```ts\nconst a = b_c.d(`x`);\n```\nok.")).toBe(
      "```ts\nconst a = b_c.d(\\`x\\`);\n```\nok\\.",
    );
    expect(markdownToTelegramMarkdownV2("```\nopen")).toBe("```\nopen\n```");
  });

  it("turns headings bold, bullets into dots and keeps quotes", () => {
    expect(markdownToTelegramMarkdownV2("# Title\n- one\n> quoted.")).toBe("*Title*\n• one\n>quoted\\.");
  });
});
