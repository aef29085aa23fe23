import { GatewayError } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import {
  type AttachmentLimits,
  AttachmentRejectedError,
  foldAttachmentText,
  intakeAttachments,
  type MediaUnderstanding,
  resolveAttachmentLimits,
} from "./attachment-intake.js";
import { encodedChatAttachments, prepareChatSendAttachments } from "./chat-send-attachments.js";
import type { TurnAttachment } from "./turn-attachment.js";

const limits: AttachmentLimits = { maxCount: 3, maxBytes: 1_000, maxImageBytes: 100 };

/** Records what the pipeline was given and answers by declared type, as the real one answers by sniffed type. */
function recordingMedia(
  answer?: (hint: { mimeType?: string }) => { attachment?: TurnAttachment; notice?: string },
) {
  const calls: { bytes: Uint8Array; hint: object }[] = [];
  const media: MediaUnderstanding = {
    async understand(bytes, hint) {
      calls.push({ bytes, hint });
      if (answer) return answer(hint);
      const mimeType = hint.mimeType ?? "application/octet-stream";
      return {
        attachment: {
          kind: mimeType.startsWith("image/") ? "image" : "document",
          mimeType,
          path: `/media/inbound/${calls.length}`,
          sizeBytes: bytes.byteLength,
          text: mimeType.startsWith("image/")
            ? undefined
            : `[document: ${Buffer.from(bytes).toString("utf8")}]`,
        },
      };
    },
  };
  return { media, calls };
}

const base64 = (text: string) => Buffer.from(text).toString("base64");

async function rejection(promise: Promise<unknown>): Promise<AttachmentRejectedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AttachmentRejectedError);
  return error as AttachmentRejectedError;
}

describe("intakeAttachments", () => {
  it("decodes base64 and data URLs, taking the data URL's type as a hint", async () => {
    const { media, calls } = recordingMedia();
    const attachments = await intakeAttachments(
      [
        { content: base64("plain"), label: "a[0]", fileName: "notes.txt" },
        { content: `data:text/markdown;base64,${base64("# hi")}`, label: "a[1]" },
      ],
      media,
      limits,
    );
    expect(calls.map((call) => Buffer.from(call.bytes).toString("utf8"))).toEqual(["plain", "# hi"]);
    expect(calls.map((call) => call.hint)).toEqual([
      { fileName: "notes.txt" },
      { mimeType: "text/markdown" },
    ]);
    expect(attachments.map((attachment) => attachment.path)).toEqual([
      "/media/inbound/1",
      "/media/inbound/2",
    ]);
  });

  it("refuses an item over its limit from the encoded length, before decoding or storing anything", async () => {
    const { media, calls } = recordingMedia();
    const error = await rejection(
      intakeAttachments(
        [
          { content: base64("fine"), label: "attachments[0]" },
          { content: "A".repeat(200), mimeType: "image/png", fileName: "big.png", label: "attachments[1]" },
        ],
        media,
        limits,
      ),
    );
    expect(error.code).toBe("ATTACHMENT_TOO_LARGE");
    expect(error.index).toBe(1);
    expect(error.message).toMatch(/^attachments\[1\] \(big\.png\) is 1 KB; images may be at most/);
    expect(calls).toEqual([]);
  });

  it("applies the image limit to an item the pipeline sniffs as an image", async () => {
    const { media } = recordingMedia(() => ({
      attachment: { kind: "image", mimeType: "image/png", path: "/m/x.png", sizeBytes: 150 },
    }));
    const error = await rejection(
      intakeAttachments([{ content: base64("x".repeat(150)), label: "attachments[0]" }], media, limits),
    );
    expect(error.code).toBe("ATTACHMENT_TOO_LARGE");
  });

  it("refuses what is not base64, too many items, and an item the pipeline cannot use", async () => {
    const { media } = recordingMedia(() => ({ notice: "video/x-msvideo is not supported" }));
    expect((await rejection(intakeAttachments([{ content: "%%%", label: "a" }], media, limits))).code).toBe(
      "ATTACHMENT_INVALID",
    );
    const many = Array.from({ length: 4 }, (_, i) => ({ content: base64("x"), label: `a[${i}]` }));
    expect((await rejection(intakeAttachments(many, media, limits))).code).toBe("TOO_MANY_ATTACHMENTS");
    const unsupported = await rejection(
      intakeAttachments(
        [{ content: base64("RIFF"), fileName: "clip.avi", label: "attachments[0]" }],
        media,
        limits,
      ),
    );
    expect(unsupported.code).toBe("ATTACHMENT_UNSUPPORTED");
    expect(unsupported.message).toBe(
      "attachments[0] (clip.avi) cannot be used: video/x-msvideo is not supported",
    );
  });

  it("says so when the gateway runs no media store", async () => {
    const error = await rejection(
      intakeAttachments([{ content: base64("x"), label: "a" }], undefined, limits),
    );
    expect(error.code).toBe("MEDIA_UNAVAILABLE");
  });
});

describe("chat.send attachments", () => {
  it("reads OpenClaw's envelope: content or a base64 source, type as a kind hint", () => {
    expect(
      encodedChatAttachments([
        { type: "image", mimeType: "image/jpeg", fileName: "a.jpg", content: "QUJD" },
        { type: "file", source: { type: "base64", media_type: "application/pdf", data: "QUJD" } },
      ]),
    ).toEqual([
      { content: "QUJD", label: "attachments[0]", mimeType: "image/jpeg", fileName: "a.jpg", kind: "image" },
      { content: "QUJD", label: "attachments[1]", mimeType: "application/pdf", kind: "document" },
    ]);
  });

  it("folds what documents say into the message and refuses an empty item as an INVALID_REQUEST", async () => {
    const { media } = recordingMedia();
    const prepared = await prepareChatSendAttachments(
      "summarise",
      [{ mimeType: "text/plain", content: base64("the report") }],
      media,
      limits,
    );
    expect(prepared.message).toBe("summarise\n\n[document: the report]");
    expect(prepared.attachments).toHaveLength(1);

    const refused = await prepareChatSendAttachments("x", [{ fileName: "empty.txt" }], media, limits).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({
      code: "INVALID_REQUEST",
      details: { code: "ATTACHMENT_INVALID", index: 0 },
    });
  });
});

describe("foldAttachmentText and limits", () => {
  it("leaves images to the model's image parts", () => {
    const image: TurnAttachment = {
      kind: "image",
      mimeType: "image/png",
      path: "/m/a",
      sizeBytes: 1,
      text: "x",
    };
    const voice: TurnAttachment = {
      kind: "voice",
      mimeType: "audio/ogg",
      path: "/m/b",
      sizeBytes: 1,
      text: "[voice] hi",
    };
    expect(foldAttachmentText("", [image, voice])).toBe("[voice] hi");
  });

  it("follows agents.defaults.mediaMaxMb and caps images at 6 MB", () => {
    expect(resolveAttachmentLimits({})).toEqual({
      maxCount: 10,
      maxBytes: 20 * 1024 * 1024,
      maxImageBytes: 6 * 1024 * 1024,
    });
    expect(resolveAttachmentLimits({ agents: { defaults: { mediaMaxMb: 2 } } })).toMatchObject({
      maxBytes: 2 * 1024 * 1024,
      maxImageBytes: 2 * 1024 * 1024,
    });
  });
});
