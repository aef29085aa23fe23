export type TranscriptionErrorCode =
  | "AUDIO_TOO_LARGE"
  | "TRANSCRIPTION_TIMEOUT"
  | "TRANSCRIPTION_UNREACHABLE"
  | "TRANSCRIPTION_HTTP_ERROR"
  | "TRANSCRIPTION_BAD_RESPONSE"
  | "TRANSCRIPTION_FAILED";

/** A transcription that did not produce text; the message names the config key to look at. */
export class TranscriptionError extends Error {
  readonly status?: number;
  constructor(
    readonly code: TranscriptionErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TranscriptionError";
    if (options?.status !== undefined) this.status = options.status;
  }
}
