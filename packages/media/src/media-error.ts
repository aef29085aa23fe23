/** Stable codes of the failures this package reports. */
export type MediaErrorCode =
  | "MEDIA_TOO_LARGE"
  | "MEDIA_SOURCE_INVALID"
  | "MEDIA_SOURCE_OUTSIDE_ROOTS"
  | "MEDIA_SOURCE_NOT_FOUND"
  | "MEDIA_SOURCE_FETCH_FAILED"
  | "MEDIA_ID_INVALID";

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MediaError";
  }
}

/**
 * A file larger than the limit that applies to it. The code matches `@openclaw/plugin-sdk`'s `MediaTooLargeError`,
 * so a caller can treat both alike.
 */
export class MediaSizeError extends MediaError {
  constructor(
    readonly maxBytes: number,
    readonly sizeBytes?: number,
  ) {
    super(
      "MEDIA_TOO_LARGE",
      sizeBytes === undefined
        ? `the file is larger than the limit of ${maxBytes} bytes`
        : `the file has ${sizeBytes} bytes, more than the limit of ${maxBytes} bytes`,
    );
    this.name = "MediaSizeError";
  }
}
