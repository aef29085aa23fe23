import type { MediaKind } from "@openclaw/plugin-sdk";

/**
 * One media item of a turn, already stored in the gateway's media store and understood: an image reaches a
 * vision-capable model as an image part; everything else reaches the model through `text`.
 */
export interface TurnAttachment {
  kind: MediaKind;
  /** Sniffed from the content. */
  mimeType: string;
  /** Absolute path of the stored file (under `<stateDir>/media/`). */
  path: string;
  sizeBytes: number;
  fileName?: string;
  /** What the model reads for it: a transcript, extracted document text, or a note about the file. */
  text?: string;
  /** For audio: the transcript, kept apart so the transcript file can store it next to the audio's reference. */
  transcript?: string;
}
