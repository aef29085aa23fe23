/** The image formats vision models accept everywhere (OpenAI, Anthropic, Gemini). */
export const IMAGE_MEDIA_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** Largest image handed to a model; providers refuse larger ones (Anthropic's limit is 5 MB). */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Enough leading bytes for file-type to recognise any format it knows. */
export const SNIFF_BYTES = 4100;

/** The content's real type when file-type recognises it (a name's extension proves nothing). */
export async function sniffMediaType(bytes: Uint8Array): Promise<string | undefined> {
  // Loaded on first use: most runs never look at an image.
  const { fileTypeFromBuffer } = await import("file-type");
  return (await fileTypeFromBuffer(bytes.subarray(0, SNIFF_BYTES)))?.mime;
}

/**
 * Whether the leading bytes carry the signature of a PNG, JPEG, GIF or WebP. A cheap check before `file-type` (which
 * would otherwise run, and be loaded, for every text file a tool reads); the final word is still the sniffer's.
 */
export function hasImageSignature(bytes: Uint8Array): boolean {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  return (
    (bytes[0] === 0x89 && ascii(1, 4) === "PNG") ||
    (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) ||
    ascii(0, 4) === "GIF8" ||
    (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP")
  );
}

export async function sniffImageType(bytes: Uint8Array): Promise<ImageMediaType | undefined> {
  if (!hasImageSignature(bytes)) return undefined;
  const mime = await sniffMediaType(bytes);
  return IMAGE_MEDIA_TYPES.find((type) => type === mime);
}
