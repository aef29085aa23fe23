import type { FakeTelegramInboundMedia, FakeTelegramMediaKind } from "./fake-telegram-types.js";
import type { FakeFileStore, StoredFile } from "./file-store.js";
import { mimeTypeForFileName } from "./file-store.js";
import { imageSize } from "./image-size.js";
import { compact } from "./telegram-objects.js";

const DEFAULT_FILE_NAME: Partial<Record<FakeTelegramMediaKind, string>> = {
  document: "file.dat",
  audio: "audio.mp3",
  video: "video.mp4",
  animation: "animation.mp4",
};

const fileFields = (file: StoredFile) => ({
  file_id: file.file_id,
  file_unique_id: file.file_unique_id,
  file_size: file.file_size,
});

/**
 * The Message fields Telegram sets for a user's file, e.g. `{ photo: [...] }` or `{ voice: {...} }`. An animation
 * also carries the same file as `document`, as Telegram keeps it for older clients.
 */
export function inboundMediaFields(
  files: FakeFileStore,
  inbound: FakeTelegramInboundMedia,
): Record<string, unknown> {
  const { kind, bytes } = inbound;
  const fileName = inbound.fileName ?? DEFAULT_FILE_NAME[kind];
  const file = files.add(kind, bytes, compact({ fileName, declaredSizeBytes: inbound.declaredSizeBytes }));
  const measured = kind === "photo" || kind === "sticker" ? imageSize(bytes) : undefined;
  const width = inbound.width ?? measured?.width ?? 640;
  const height = inbound.height ?? measured?.height ?? 480;
  const duration = Math.round(inbound.durationSec ?? 3);
  const mimeType = inbound.mimeType ?? (fileName === undefined ? undefined : mimeTypeForFileName(fileName));
  switch (kind) {
    case "photo": {
      const full = { ...fileFields(file), width, height };
      if (inbound.thumbnailBytes === undefined) return { photo: [full] };
      const thumb = files.add("photo", inbound.thumbnailBytes);
      const scale = 90 / Math.max(width, height, 1);
      return {
        photo: [
          { ...fileFields(thumb), width: Math.round(width * scale), height: Math.round(height * scale) },
          full,
        ],
      };
    }
    case "voice":
      return {
        voice: compact({ duration, mime_type: inbound.mimeType ?? "audio/ogg", ...fileFields(file) }),
      };
    case "audio":
      return { audio: compact({ duration, file_name: fileName, mime_type: mimeType, ...fileFields(file) }) };
    case "video":
      return {
        video: compact({
          duration,
          width,
          height,
          file_name: fileName,
          mime_type: mimeType,
          ...fileFields(file),
        }),
      };
    case "video_note":
      return { video_note: { duration, length: Math.min(width, height), ...fileFields(file) } };
    case "sticker":
      return {
        sticker: compact({
          width: inbound.width ?? measured?.width ?? 512,
          height: inbound.height ?? measured?.height ?? 512,
          emoji: inbound.emoji ?? "👍",
          set_name: "OpenClawTestStickers",
          is_animated: false,
          is_video: false,
          type: "regular",
          ...fileFields(file),
        }),
      };
    case "animation": {
      const document = compact({
        file_name: fileName,
        mime_type: mimeType ?? "video/mp4",
        ...fileFields(file),
      });
      return { animation: { ...document, duration, width, height }, document };
    }
    case "document":
      return { document: compact({ file_name: fileName, mime_type: mimeType, ...fileFields(file) }) };
  }
}
