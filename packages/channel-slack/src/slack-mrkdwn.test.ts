import { describe, expect, it } from "vitest";
import { escapeSlackText, markdownToSlackMrkdwn } from "./slack-mrkdwn.js";

describe("markdownToSlackMrkdwn", () => {
  it("converts bold, italics, strike, links and headings", () => {
    expect(markdownToSlackMrkdwn("**bold** and *it* and _it2_ and ~~gone~~")).toBe(
      "*bold* and _it_ and _it2_ and ~gone~",
    );
    expect(markdownToSlackMrkdwn("see [the docs](https://example.com/x?a=1)")).toBe(
      "see <https://example.com/x?a=1|the docs>",
    );
    expect(markdownToSlackMrkdwn("## Result\n- one\n- **two**")).toBe("*Result*\n• one\n• *two*");
  });

  it("leaves code alone except for Slack's entities, and drops a fence's language", () => {
    expect(markdownToSlackMrkdwn("run `a **b** <c>`")).toBe("run `a **b** &lt;c&gt;`");
    expect(markdownToSlackMrkdwn("```ts\nif (a < b && c) {}\n```")).toBe(
      "```\nif (a &lt; b &amp;&amp; c) {}\n```",
    );
  });

  it("escapes &, < and > in text but keeps Slack mentions and snake_case", () => {
    expect(markdownToSlackMrkdwn("1 < 2 & 3 > 2, ask <@U123> or <!here> in <#C9|ops>")).toBe(
      "1 &lt; 2 &amp; 3 &gt; 2, ask <@U123> or <!here> in <#C9|ops>",
    );
    expect(markdownToSlackMrkdwn("my_var_name and 2*3*4")).toBe("my_var_name and 2*3*4");
  });

  it("closes a fence cut off by chunking", () => {
    expect(markdownToSlackMrkdwn("```\nhalf")).toBe("```\nhalf\n```");
  });
});

describe("escapeSlackText", () => {
  it("escapes only the three entities", () => {
    expect(escapeSlackText("a & b <tag> *x*")).toBe("a &amp; b &lt;tag&gt; *x*");
  });
});
