import type { MediaKind } from "@openclaw/plugin-sdk";
import { type ChatAttachment, GatewayError } from "@openclaw/protocol";
import {
  type AttachmentLimits,
  AttachmentRejectedError,
  type EncodedAttachment,
  foldAttachmentText,
  intakeAttachments,
  type MediaUnderstanding,
} from "./attachment-intake.js";
import type { TurnAttachment } from "./turn-attachment.js";

const KINDS: readonly MediaKind[] = ["image", "audio", "voice", "video", "document", "sticker"];

/** OpenClaw's `type` is free text ("image", "file", "audio", ...); only a kind we know is taken as a hint. */
function kindHint(type: string | undefined): MediaKind | undefined {
  const lowered = type?.toLowerCase();
  if (lowered === "file") return "document";
  return KINDS.find((kind) => kind === lowered);
}

/** `chat.send` attachments in OpenClaw's envelope, as items to decode; one with no content is refused, not skipped. */
export function encodedChatAttachments(attachments: ChatAttachment[]): EncodedAttachment[] {
  return attachments.map((attachment, index) => {
    const label = `attachments[${index}]`;
    const fromSource = attachment.source?.type === "base64" ? attachment.source.data : undefined;
    const content = attachment.content ?? fromSource;
    if (content === undefined || content === "") {
      throw new AttachmentRejectedError(
        "ATTACHMENT_INVALID",
        `${label} has no content: put the file's bytes in "content", base64-encoded or as a data URL`,
        index,
      );
    }
    const item: EncodedAttachment = { content, label };
    const mimeType = attachment.mimeType ?? attachment.source?.media_type;
    if (mimeType !== undefined) item.mimeType = mimeType;
    if (attachment.fileName !== undefined) item.fileName = attachment.fileName;
    const kind = kindHint(attachment.type);
    if (kind !== undefined) item.kind = kind;
    return item;
  });
}

/** An intake refusal as the wire's error: `INVALID_REQUEST` with `details.code` naming the problem. */
export function attachmentGatewayError(error: AttachmentRejectedError): GatewayError {
  return new GatewayError(
    error.code === "MEDIA_UNAVAILABLE" ? "UNAVAILABLE" : "INVALID_REQUEST",
    error.message,
    {
      details: { code: error.code, ...(error.index === undefined ? {} : { index: error.index }) },
    },
  );
}

/**
 * `chat.send`'s attachments, stored and understood: the message the model reads (with transcripts and document
 * text folded in) and the items the turn carries. A refusal becomes a `GatewayError` before anything runs.
 */
export async function prepareChatSendAttachments(
  message: string,
  attachments: ChatAttachment[] | undefined,
  media: MediaUnderstanding | undefined,
  limits: AttachmentLimits,
): Promise<{ message: string; attachments: TurnAttachment[] }> {
  if (attachments === undefined || attachments.length === 0) return { message, attachments: [] };
  try {
    const understood = await intakeAttachments(encodedChatAttachments(attachments), media, limits);
    return { message: foldAttachmentText(message, understood), attachments: understood };
  } catch (error) {
    if (error instanceof AttachmentRejectedError) throw attachmentGatewayError(error);
    throw error;
  }
}
