import { expect, it } from "vitest";
import { convertMarkdownBlocks } from "./markdown-blocks.js";

const renderer = {
  inline: (text: string) => text.toUpperCase(),
  codeBlock: (body: string, language: string) => `[${language}|${body}]`,
};

it("maps headings, bullets and quotes, and hands fenced code blocks over whole", () => {
  const markdown = ["# title", "- item", "> quoted", "plain", "```ts", "const a = 1;", "```", "after"].join(
    "\n",
  );
  expect(convertMarkdownBlocks(markdown, renderer)).toBe(
    ["*TITLE*", "• ITEM", ">QUOTED", "PLAIN", "[ts|const a = 1;]", "AFTER"].join("\n"),
  );
});

it("ends an unclosed fence at the end of the text", () => {
  expect(convertMarkdownBlocks("```\nx\ny", renderer)).toBe("[|x\ny]");
});
