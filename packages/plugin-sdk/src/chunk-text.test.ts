import { describe, expect, it } from "vitest";
import { chunkText } from "./chunk-text.js";

const FENCE_LINE = /^[ \t]*(`{3,}|~{3,})[^\n]*$/gm;

/** The text's non-whitespace content with fence marker lines removed: what chunking must preserve, in order. */
function content(text: string): string {
  return text.replace(FENCE_LINE, "").replace(/\s+/g, "");
}

/** True when the chunk, read on its own, ends outside any code fence. */
function fencesBalanced(chunk: string): boolean {
  let open: string | undefined;
  for (const line of chunk.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (marker === null) continue;
    const run = marker[1] ?? "";
    if (open === undefined) open = run;
    else if (run[0] === open[0] && run.length >= open.length && (marker[2] ?? "").trim() === "")
      open = undefined;
  }
  return open === undefined;
}

/** mulberry32: a small seeded generator so that a failing case can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "theta",
  "iota",
  "kappa",
  "λόγος",
  "日本語",
];
const SYMBOLS = ["😀", "👍🏽", "🧪", "𝔘"];

function randomText(random: () => number, fenceCount: { value: number }): { text: string; fences: string[] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = () => {
    const roll = random();
    if (roll < 0.05) return "x".repeat(1 + Math.floor(random() * 120));
    if (roll < 0.15) return pick(SYMBOLS).repeat(1 + Math.floor(random() * 4));
    return pick(WORDS);
  };
  const sentence = () => {
    const words = Array.from({ length: 1 + Math.floor(random() * 14) }, word).join(" ");
    return `${words}${pick([".", "!", "?", "", ","])}`;
  };
  const paragraph = () =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, sentence).join(random() < 0.3 ? "\n" : " ");
  const fences: string[] = [];
  const codeBlock = () => {
    fenceCount.value += 1;
    const language = `lang${fenceCount.value}`;
    const lines = Array.from(
      { length: 1 + Math.floor(random() * 25) },
      () =>
        `${"  ".repeat(Math.floor(random() * 3))}${Array.from({ length: 1 + Math.floor(random() * 8) }, word).join(" ")}`,
    );
    const fence = `\`\`\`${language}\n${lines.join("\n")}\n\`\`\``;
    fences.push(fence);
    return fence;
  };
  const blocks = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
    random() < 0.3 ? codeBlock() : paragraph(),
  );
  return { text: blocks.join(random() < 0.5 ? "\n\n" : "\n"), fences };
}

function expectInvariants(chunks: string[], maxLength: number, seed: number): void {
  const broken = chunks.filter(
    (chunk) =>
      chunk.length > maxLength ||
      chunk.trim() === "" ||
      /^[\uDC00-\uDFFF]/.test(chunk) ||
      /[\uD800-\uDBFF]$/.test(chunk),
  );
  expect(broken, `seed ${seed}: chunks over ${maxLength}, empty, or splitting a surrogate pair`).toEqual([]);
}

describe("chunkText", () => {
  it("returns a text that fits unchanged, and nothing for an empty text", () => {
    expect(chunkText("  hello\n", 10)).toEqual(["  hello\n"]);
    expect(chunkText("a".repeat(10), 10)).toEqual(["a".repeat(10)]);
    expect(chunkText("", 10)).toEqual([]);
    expect(chunkText(" \n\t ", 10)).toEqual([]);
  });

  it("refuses a maxLength that cannot hold a surrogate pair", () => {
    expect(() => chunkText("hello", 1)).toThrow(RangeError);
    expect(() => chunkText("hello", 0)).toThrow(/at least 2/);
    expect(() => chunkText("hello", 2.5)).toThrow(/maxTextLength/);
  });

  it("prefers a paragraph break over a line break", () => {
    const text = "first paragraph line one\nline two\n\nsecond paragraph here";

    expect(chunkText(text, 40)).toEqual(["first paragraph line one\nline two", "second paragraph here"]);
  });

  it("prefers a line break over a sentence break", () => {
    const text = "One sentence. Another one here\nand the next line goes on";

    expect(chunkText(text, 40)).toEqual(["One sentence. Another one here", "and the next line goes on"]);
  });

  it("prefers a sentence break over a word break", () => {
    const text = "This is the first sentence. This is the second one";

    expect(chunkText(text, 40)).toEqual(["This is the first sentence.", "This is the second one"]);
  });

  it("counts a sentence ended inside quotes or brackets", () => {
    const text = 'He said "stop here." Then he went on and on';

    expect(chunkText(text, 30)[0]).toBe('He said "stop here."');
  });

  it("breaks at a word when there is no better break", () => {
    expect(chunkText("alpha beta gamma delta epsilon", 12)).toEqual(["alpha beta", "gamma delta", "epsilon"]);
  });

  it("does not take a higher-priority break that would leave the chunk less than half full", () => {
    const text = `Short.\n\n${"word ".repeat(20).trim()}`;

    const [first] = chunkText(text, 60);

    expect(first?.startsWith("Short.\n\nword word")).toBe(true);
    expect(first?.length).toBeGreaterThan(30);
  });

  it("splits a word without whitespace hard, at exactly maxLength", () => {
    expect(chunkText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("never splits a surrogate pair", () => {
    const text = "😀".repeat(5);

    const chunks = chunkText(text, 3);

    expect(chunks).toEqual(["😀", "😀", "😀", "😀", "😀"]);
    // A skin-tone modifier is its own code point: it may start a chunk, but its halves stay together.
    expect(chunkText(`a${"👍🏽".repeat(3)}`, 4)).toEqual(["a👍", "🏽👍", "🏽👍", "🏽"]);
  });

  it("drops the whitespace at a break and around the text", () => {
    expect(chunkText("  alpha   \n\n\n   beta  ", 8)).toEqual(["alpha", "beta"]);
  });

  it("keeps a code fence that fits in one chunk whole, breaking before it", () => {
    const fence = "```js\nconsole.log(1);\nconsole.log(2);\n```";
    const text = `Intro words that go on for a while.\n${fence}\nOutro.`;

    const chunks = chunkText(text, 50);

    expect(chunks).toEqual(["Intro words that go on for a while.", `${fence}\nOutro.`]);
  });

  it("closes a split fence and reopens it with its language", () => {
    const lines = Array.from({ length: 10 }, (_, index) => `let value${index} = ${index};`);
    const text = `\`\`\`typescript\n${lines.join("\n")}\n\`\`\`\nDone.`;

    const chunks = chunkText(text, 80);

    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.startsWith("```typescript\n")).toBe(true);
      expect(chunk.endsWith("\n```")).toBe(true);
    }
    expect(chunks.every((chunk) => chunk.length <= 80 && fencesBalanced(chunk))).toBe(true);
    expect(chunks.at(-1)).toMatch(/Done\.$/);
    expect(content(chunks.join("\n"))).toBe(content(text));
  });

  it("splits a fence at line boundaries and keeps indentation", () => {
    const text = "```py\ndef f():\n    return 1\n\n\ndef g():\n    return 2\n```";

    const chunks = chunkText(text, 34);

    expect(chunks).toEqual(["```py\ndef f():\n    return 1\n\n\n```", "```py\ndef g():\n    return 2\n```"]);
  });

  it("reopens tilde fences and longer backtick fences with their own marker", () => {
    const tilde = `~~~sh\n${Array.from({ length: 8 }, (_, index) => `echo line ${index}`).join("\n")}\n~~~`;
    const chunksTilde = chunkText(tilde, 45);
    expect(chunksTilde.every((chunk) => chunk.startsWith("~~~sh\n") && chunk.endsWith("~~~"))).toBe(true);

    const long = `\`\`\`\`md\n${Array.from({ length: 8 }, (_, index) => `\`\`\`inner ${index}`).join("\n")}\n\`\`\`\``;
    const chunksLong = chunkText(long, 45);
    expect(chunksLong.length).toBeGreaterThan(1);
    expect(chunksLong.every((chunk) => chunk.startsWith("````md\n") && chunk.endsWith("\n````"))).toBe(true);
  });

  it("continues an unclosed fence to the end, closing every chunk but the last", () => {
    const text = `\`\`\`\n${Array.from({ length: 10 }, (_, index) => `row ${index}`).join("\n")}`;

    const chunks = chunkText(text, 25);

    expect(chunks.slice(0, -1).every((chunk) => chunk.endsWith("\n```"))).toBe(true);
    expect(chunks.at(-1)?.endsWith("```")).toBe(false);
    expect(chunks.slice(1).every((chunk) => chunk.startsWith("```\n"))).toBe(true);
  });

  it("splits a long code line inside a fence at a space, else hard", () => {
    const text = `\`\`\`\n${"token ".repeat(20).trim()}\n\`\`\``;
    const chunks = chunkText(text, 30);
    expect(
      chunks.every((chunk) => chunk.length <= 30 && chunk.startsWith("```\n") && chunk.endsWith("\n```")),
    ).toBe(true);
    expect(content(chunks.join("\n"))).toBe(content(text));

    const hard = chunkText(`\`\`\`\n${"z".repeat(50)}\n\`\`\``, 20);
    expect(hard.every((chunk) => chunk.length <= 20 && fencesBalanced(chunk))).toBe(true);
    expect(
      hard
        .join("")
        .replace(/```\n?/g, "")
        .replace(/\n/g, ""),
    ).toBe("z".repeat(50));
  });

  it("treats inline triple backticks as text, not a fence", () => {
    const text = "use ```a``` here and then many more words after it";
    expect(chunkText(text, 20).join(" ")).toBe(text);
  });

  it("chunks a fence like prose when the limit cannot hold its markers", () => {
    const text = "```javascript\nconsole.log('hello world');\n```";

    const chunks = chunkText(text, 12);

    expect(chunks.every((chunk) => chunk.length <= 12)).toBe(true);
    expect(chunks.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
  });

  it("handles CRLF line endings", () => {
    const text = "first line here\r\nsecond line here\r\n\r\nthird paragraph";

    expect(chunkText(text, 34)).toEqual(["first line here\r\nsecond line here", "third paragraph"]);
  });

  it("holds its invariants for random texts (seeded)", () => {
    const fenceCount = { value: 0 };
    for (let seed = 1; seed <= 400; seed += 1) {
      const random = seededRandom(seed);
      const { text, fences } = randomText(random, fenceCount);
      const maxLength = 40 + Math.floor(random() * 400);

      const chunks = chunkText(text, maxLength);

      expectInvariants(chunks, maxLength, seed);
      expect(content(chunks.join("\n")), `seed ${seed}`).toBe(content(text));
      expect(
        chunks.filter((chunk) => !fencesBalanced(chunk)),
        `seed ${seed}: chunks left inside a fence`,
      ).toEqual([]);
      for (const fence of fences.filter((candidate) => candidate.length <= maxLength)) {
        expect(
          chunks.some((chunk) => chunk.includes(fence)),
          `seed ${seed}: a fence that fits was split`,
        ).toBe(true);
      }
    }
  });

  it("holds the length, emptiness and surrogate invariants for tiny limits (seeded)", () => {
    const fenceCount = { value: 0 };
    for (let seed = 1000; seed < 1300; seed += 1) {
      const random = seededRandom(seed);
      const { text } = randomText(random, fenceCount);
      // Below 15 no generated fence ("```langN", body, "```") fits, so nothing is added and nothing may be lost.
      const maxLength = 2 + Math.floor(random() * 12);

      const chunks = chunkText(text, maxLength);

      expectInvariants(chunks, maxLength, seed);
      expect(chunks.join("").replace(/\s/g, ""), `seed ${seed}`).toBe(text.replace(/\s/g, ""));
    }
  });
});
