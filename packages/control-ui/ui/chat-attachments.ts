/**
 * One attachment as `chat.send` takes it (OpenClaw's envelope): the file as a data URL. A type alias, not an
 * interface, so it fits the envelope's open record.
 */
export type OutgoingAttachment = {
  type: "image" | "file";
  origin: "file";
  mimeType: string;
  fileName: string;
  content: string;
  sizeBytes: number;
};

/** `hello-ok.policy.attachments`: the gateway's decoded-size ceiling per item (images have their own). */
export interface AttachmentCeilings {
  maxBytes: number;
  maxImageBytes: number;
}

/** What the transcript shows for one attachment: sent now, or read back from `chat.history`'s `media`. */
export interface AttachmentChip {
  kind: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
}

/** Files one message may carry, as the gateway allows. */
export const MAX_ATTACHMENTS = 10;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function isImage(file: { type: string }): boolean {
  return file.type.startsWith("image/");
}

/**
 * Why the gateway would refuse this file, checked before it is read: the same ceilings it advertises, so a large
 * file is refused here with the limit in the message instead of after a long upload.
 */
export function attachmentProblem(
  file: { name: string; size: number; type: string },
  ceilings: AttachmentCeilings | undefined,
): string | undefined {
  if (file.size === 0) return `${file.name} is empty`;
  if (!ceilings) return undefined;
  const limit = isImage(file) ? ceilings.maxImageBytes : ceilings.maxBytes;
  if (file.size <= limit) return undefined;
  return `${file.name} is ${formatBytes(file.size)}; the gateway takes ${isImage(file) ? "images" : "files"} up to ${formatBytes(limit)}`;
}

export function chipOf(file: { name: string; size: number; type: string }): AttachmentChip {
  return {
    kind: isImage(file) ? "image" : "file",
    fileName: file.name,
    mimeType: file.type || "application/octet-stream",
    sizeBytes: file.size,
  };
}

/** A `chat.history` row's media references as chips (the file name, else the stored file's name). */
export function chipsFromHistory(media: unknown): AttachmentChip[] {
  if (!Array.isArray(media)) return [];
  return media.flatMap((item): AttachmentChip[] => {
    if (typeof item !== "object" || item === null) return [];
    const { kind, fileName, path, mimeType, sizeBytes } = item as Record<string, unknown>;
    const name =
      typeof fileName === "string"
        ? fileName
        : typeof path === "string"
          ? (path.split("/").at(-1) ?? "")
          : "";
    return [
      {
        kind: typeof kind === "string" ? kind : "file",
        fileName: name,
        mimeType: typeof mimeType === "string" ? mimeType : "",
        sizeBytes: typeof sizeBytes === "number" ? sizeBytes : 0,
      },
    ];
  });
}

export function describeChip(chip: AttachmentChip): string {
  return [chip.fileName || chip.kind, chip.mimeType, formatBytes(chip.sizeBytes)]
    .filter((part) => part !== "")
    .join(" · ");
}

/** Reads a picked file into `chat.send`'s shape. */
export function readAttachment(file: File): Promise<OutgoingAttachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener("load", () =>
      resolve({
        type: isImage(file) ? "image" : "file",
        origin: "file",
        mimeType: file.type || "application/octet-stream",
        fileName: file.name,
        content: String(reader.result),
        sizeBytes: file.size,
      }),
    );
    reader.addEventListener("error", () =>
      reject(reader.error ?? new Error(`${file.name} could not be read`)),
    );
    reader.readAsDataURL(file);
  });
}
