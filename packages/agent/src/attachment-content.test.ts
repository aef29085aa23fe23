import { describe, expect, it } from "vitest";
import { earlierMediaNotes, modelSeesImages, userTurnContent } from "./attachment-content.js";
import { buildContext, IMAGE_TOKENS } from "./context-window.js";

describe("modelSeesImages", () => {
  it("follows the entry's input when it is set", () => {
    expect(modelSeesImages({ id: "llama3.1", input: ["text", "image"] }, "llama3.1")).toBe(true);
    expect(modelSeesImages({ id: "gpt-4o", input: ["text"] }, "gpt-4o")).toBe(false);
  });

  it("knows the common vision models when nothing says", () => {
    for (const id of [
      "gpt-4o-mini",
      "gpt-5-mini",
      "gpt-4.1",
      "o3",
      "o4-mini",
      "claude-sonnet-4-5",
      "claude-3-5-haiku-latest",
      "gemini-2.5-flash",
      "openai/gpt-4o",
      "llava:13b",
      "qwen2.5vl:7b",
      "llama3.2-vision",
    ]) {
      expect(modelSeesImages(undefined, id), id).toBe(true);
    }
    for (const id of ["gpt-3.5-turbo", "o3-mini", "llama3.1", "mistral-7b", "deepseek-r1", "fake-model"]) {
      expect(modelSeesImages({ id }, id), id).toBe(false);
    }
  });
});

describe("userTurnContent", () => {
  const image = { kind: "image" as const, mimeType: "image/png", path: "/m/a.png", sizeBytes: 3 };

  it("names the file from its path when it has no name", () => {
    expect(userTurnContent("", [image], undefined)).toEqual({
      text: "[image attached: a.png — the current model cannot see images]",
      images: [],
    });
  });

  it("notes every earlier item by kind and stored path", () => {
    expect(earlierMediaNotes([{ ...image, kind: "document", fileName: "report.pdf" }])).toEqual([
      "[document attached earlier: report.pdf, stored at /m/a.png]",
    ]);
  });
});

describe("buildContext with images", () => {
  it("puts the text first and one image part per image", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const context = buildContext({
      history: [],
      systemPrompt: "",
      message: "see",
      images: [{ image: bytes, mediaType: "image/png" }],
      contextWindow: 128_000,
      maxOutputTokens: undefined,
    });
    expect(context.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "see" },
          { type: "image", image: bytes, mediaType: "image/png" },
        ],
      },
    ]);
  });

  it("counts an image at a fixed token cost, so it pushes old turns out like text would", () => {
    const history = Array.from({ length: 6 }, (_, i) => ({
      role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
      text: "x".repeat(1_600),
      ts: 0,
    }));
    const base = { history, systemPrompt: "", message: "hi", contextWindow: 5_000, maxOutputTokens: 1_000 };
    const withoutImages = buildContext(base);
    const withImages = buildContext({
      ...base,
      images: Array.from({ length: 2 }, () => ({ image: "AAAA", mediaType: "image/png" })),
    });
    expect(withoutImages.droppedTurns).toBe(0);
    expect(withImages.droppedTurns).toBeGreaterThan(0);
    expect(IMAGE_TOKENS).toBeGreaterThan(1_000);
  });

  it("replays an image-only user entry as its note instead of dropping it", () => {
    const context = buildContext({
      history: [
        {
          role: "user",
          text: "",
          ts: 0,
          media: [{ kind: "image", mimeType: "image/png", path: "/m/cat.png", sizeBytes: 9 }],
        },
        { role: "assistant", text: "a cat", ts: 0 },
      ],
      systemPrompt: "",
      message: "again",
      contextWindow: 128_000,
      maxOutputTokens: undefined,
    });
    expect(context.messages[0]).toEqual({
      role: "user",
      content: "[image attached earlier: cat.png, stored at /m/cat.png]",
    });
  });
});
