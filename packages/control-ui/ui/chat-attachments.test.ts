import { describe, expect, it } from "vitest";
import { attachmentProblem, chipsFromHistory, describeChip } from "./chat-attachments.js";
import { ChatTranscript } from "./chat-transcript.js";

const ceilings = { maxBytes: 20 * 1024 * 1024, maxImageBytes: 6 * 1024 * 1024 };

describe("attachmentProblem", () => {
  it("applies the gateway's image ceiling to images and its file ceiling to the rest", () => {
    expect(
      attachmentProblem({ name: "a.png", size: 5 * 1024 * 1024, type: "image/png" }, ceilings),
    ).toBeUndefined();
    expect(attachmentProblem({ name: "b.png", size: 7 * 1024 * 1024, type: "image/png" }, ceilings)).toBe(
      "b.png is 7.0 MB; the gateway takes images up to 6.0 MB",
    );
    expect(
      attachmentProblem({ name: "c.pdf", size: 7 * 1024 * 1024, type: "application/pdf" }, ceilings),
    ).toBeUndefined();
    expect(attachmentProblem({ name: "d.txt", size: 0, type: "text/plain" }, ceilings)).toBe(
      "d.txt is empty",
    );
  });

  it("leaves the decision to the gateway when it advertised no ceilings", () => {
    expect(attachmentProblem({ name: "e.bin", size: 1e9, type: "" }, undefined)).toBeUndefined();
  });
});

describe("attachments in the transcript", () => {
  it("shows chat.history's media references on the user's message", () => {
    const transcript = new ChatTranscript("main");
    transcript.loadHistory([
      {
        role: "user",
        text: "look",
        runId: "r1",
        media: [
          { kind: "image", path: "/state/media/inbound/abc.png", mimeType: "image/png", sizeBytes: 2048 },
          { kind: "document", fileName: "notes.md", path: "/x", mimeType: "text/markdown", sizeBytes: 10 },
        ],
      },
      { role: "assistant", text: "nice", runId: "r1" },
    ]);
    expect(transcript.entries[0]?.attachments?.map(describeChip)).toEqual([
      "abc.png · image/png · 2 KB",
      "notes.md · text/markdown · 10 B",
    ]);
    expect(transcript.entries[1]?.attachments).toBeUndefined();
  });

  it("ignores media entries that are not objects", () => {
    expect(chipsFromHistory([null, 3, "x"])).toEqual([]);
    expect(chipsFromHistory(undefined)).toEqual([]);
  });
});
