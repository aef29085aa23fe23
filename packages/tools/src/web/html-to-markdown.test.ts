import { describe, expect, it } from "vitest";
import { htmlToMarkdown, MARKDOWN_CHUNK_CHARS } from "./html-to-markdown.js";

describe("htmlToMarkdown", () => {
  it("keeps headings, emphasis, inline code and links, and escapes markdown in text", () => {
    const markdown = htmlToMarkdown(
      `<h1>Title <em>here</em></h1><p>Intro with <strong>bold</strong>, <code>npm i</code> and a ` +
        `<a href="https://example.com/a?b=1">link</a>. Literal 1 * 2 [y] &lt;tag&gt;.</p>`,
    );
    expect(markdown).toBe(
      "# Title _here_\n\nIntro with **bold**, `npm i` and a [link](https://example.com/a?b=1). Literal 1 \\* 2 \\[y\\] <tag>.",
    );
  });

  it("writes nested lists with '-' bullets and numbered lists", () => {
    const markdown = htmlToMarkdown(
      "<ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul><p>Steps:</p><ol><li>First</li><li>Second</li></ol>",
    );
    expect(markdown).toBe("- One\n- Two\n  - Nested\n\nSteps:\n\n1. First\n2. Second");
  });

  it("fences code blocks with their language and no blank line before the closing fence", () => {
    const markdown = htmlToMarkdown(
      '<pre><code class="language-bash">openclaw gateway --port 18789\necho "hi" | grep h\n</code></pre>',
    );
    expect(markdown).toBe('```bash\nopenclaw gateway --port 18789\necho "hi" | grep h\n```');
  });

  it("writes tables as GitHub tables, quotes, images, rules and line breaks", () => {
    const markdown = htmlToMarkdown(
      "<table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody><tr><td>b | c</td><td>2</td></tr></tbody></table>" +
        '<blockquote><p>A quote.</p></blockquote><p><img src="https://example.com/i.png" alt="An image"></p><hr>' +
        "<p>Line one<br>Line two</p>",
    );
    expect(markdown).toBe(
      "| Name   | Value |\n| ------ | ----- |\n| b \\| c | 2     |\n\n> A quote.\n\n" +
        "![An image](https://example.com/i.png)\n\n---\n\nLine one  \nLine two",
    );
  });

  it("drops scripts, styles, embedded frames and inline data images", () => {
    const markdown = htmlToMarkdown(
      '<script>alert(1)</script><style>p{}</style><noscript>enable JS</noscript><iframe src="x"></iframe>' +
        '<svg><text>chart</text></svg><p>kept <img src="data:image/png;base64,AAAA" alt="pixel"></p>',
    );
    expect(markdown).toBe("kept");
  });

  it("reads upper-case tag names as HTML does", () => {
    expect(htmlToMarkdown("<P>UPPER <B>bold</B></P><DIV>div text</DIV>")).toBe("UPPER **bold**\n\ndiv text");
  });

  it("converts a page larger than one run block by block, as one call would", () => {
    const section = (i: number): string =>
      `<section><h2>Part ${i}</h2><p>Some <a href="https://example.com/${i}">text</a> and <em>more</em>.</p>` +
      `<ul><li>a ${i}</li><li>b ${i}</li></ul></section>`;
    const count = Math.ceil((MARKDOWN_CHUNK_CHARS * 3) / section(0).length);
    const html = `<div><article>${Array.from({ length: count }, (_, i) => section(i)).join("\n")}</article></div>`;
    const expected = Array.from(
      { length: count },
      (_, i) => `## Part ${i}\n\nSome [text](https://example.com/${i}) and _more_.\n\n- a ${i}\n- b ${i}`,
    ).join("\n\n");
    expect(htmlToMarkdown(html)).toBe(expected);
  });

  it("never starts a new run inside a paragraph's inline text", () => {
    const long = "x".repeat(MARKDOWN_CHUNK_CHARS);
    const markdown = htmlToMarkdown(`<p>first</p>before <b>${long}</b> after<p>next</p>`);
    expect(markdown).toBe(`first\n\nbefore **${long}** after\n\nnext`);
  });
});
