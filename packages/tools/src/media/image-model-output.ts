import type { ToolModelOutput } from "@openclaw/agent";
import type { ImageMediaType } from "./image-sniff.js";

export interface ToolImage {
  /** Where the image came from, as the model named it. */
  source: string;
  mediaType: ImageMediaType;
  bytes: number;
  /** Base64; the model receives it as an image part, never as text. */
  data: string;
}

/** A note plus the images themselves, for a vision-capable model to look at. */
export function imagesModelOutput(text: string, images: readonly ToolImage[]): ToolModelOutput {
  return {
    type: "content",
    value: [
      { type: "text", text },
      ...images.map((image) => ({
        type: "image-data" as const,
        data: image.data,
        mediaType: image.mediaType,
      })),
    ],
  };
}
