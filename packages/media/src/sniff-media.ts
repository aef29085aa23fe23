import type { MediaKind } from "./media-kind.js";

export interface MediaHint {
  /** What the sender or platform claims; used only to name a text format the bytes cannot prove. */
  mimeType?: string;
  fileName?: string;
  /** The platform's kind: tells a voice note from other audio and a sticker from other images. */
  kind?: MediaKind;
}

export interface SniffedMedia {
  mimeType: string;
  /** Without the dot: `png`, `ogg`, `pdf`, `txt`, `bin`. */
  extension: string;
  kind: MediaKind;
}

/** Enough leading bytes for file-type to recognise any format it knows. */
const SIGNATURE_BYTES = 4100;
/** How much of a file the text check reads: a binary format shows itself long before this. */
const TEXT_PROBE_BYTES = 64 * 1024;

const OCTET_STREAM: SniffedMedia = {
  mimeType: "application/octet-stream",
  extension: "bin",
  kind: "document",
};

/** Text formats a name or claimed type may pick once the bytes proved to be text. */
const TEXT_FORMATS: ReadonlyArray<{ mimeType: string; extension: string; extensions: string[] }> = [
  { mimeType: "text/markdown", extension: "md", extensions: ["md", "markdown"] },
  { mimeType: "text/csv", extension: "csv", extensions: ["csv"] },
  { mimeType: "text/tab-separated-values", extension: "tsv", extensions: ["tsv"] },
  { mimeType: "application/json", extension: "json", extensions: ["json"] },
];

/**
 * What a file really is, from its bytes: file-type's signatures first, then a UTF-8 check for text. A name or a
 * claimed type never makes bytes into an image or a PDF; it only tells which text format a text file is, and the
 * platform's kind tells a voice note from music and a sticker from a photo.
 */
export async function sniffMedia(bytes: Uint8Array, hint: MediaHint = {}): Promise<SniffedMedia> {
  const { fileTypeFromBuffer } = await import("file-type");
  const detected = await fileTypeFromBuffer(bytes.subarray(0, SIGNATURE_BYTES));
  if (detected) {
    const mimeType = detected.mime.split(";")[0]?.trim() ?? detected.mime;
    return { mimeType, extension: detected.ext, kind: kindOf(mimeType, hint.kind) };
  }
  // An Ogg page too short for file-type to read its codec header is still an Ogg stream: almost always audio.
  if (startsWithAscii(bytes, "OggS"))
    return { mimeType: "audio/ogg", extension: "ogg", kind: kindOf("audio/ogg", hint.kind) };
  if (!looksLikeText(bytes)) return OCTET_STREAM;
  const format = textFormatOf(hint);
  return {
    mimeType: format?.mimeType ?? "text/plain",
    extension: format?.extension ?? "txt",
    kind: "document",
  };
}

function kindOf(mimeType: string, claimed: MediaKind | undefined): MediaKind {
  const family = mimeType.split("/")[0];
  if (
    claimed === "sticker" &&
    (family === "image" || family === "video" || mimeType === "application/gzip")
  ) {
    return "sticker";
  }
  if (family === "image") return "image";
  // A voice note often travels in a video container (WebM, MP4): the platform's word decides.
  if ((family === "audio" || family === "video") && (claimed === "voice" || claimed === "audio"))
    return claimed;
  if (family === "audio") return "audio";
  if (family === "video") return "video";
  return "document";
}

function startsWithAscii(bytes: Uint8Array, magic: string): boolean {
  return magic.split("").every((char, index) => bytes[index] === char.charCodeAt(0));
}

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0) return false;
  let probe = bytes.subarray(0, TEXT_PROBE_BYTES);
  if (probe.includes(0)) return false;
  if (bytes.byteLength > TEXT_PROBE_BYTES) probe = dropCutCharacter(probe);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(probe);
    return true;
  } catch {
    return false;
  }
}

/** The probe may end inside a multi-byte character; drop its lead and continuation bytes. */
function dropCutCharacter(probe: Uint8Array): Uint8Array {
  const end = probe.byteLength;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = probe[end - back] ?? 0;
    if ((byte & 0xc0) === 0xc0) return probe.subarray(0, end - back);
    if ((byte & 0x80) === 0) break;
  }
  return probe.subarray(0, end);
}

function textFormatOf(hint: MediaHint): (typeof TEXT_FORMATS)[number] | undefined {
  const claimed = hint.mimeType?.split(";")[0]?.trim().toLowerCase();
  const byType = TEXT_FORMATS.find((format) => format.mimeType === claimed);
  if (byType) return byType;
  const extension = hint.fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return extension === undefined ? undefined : TEXT_FORMATS.find((f) => f.extensions.includes(extension));
}
