export {
  DEFAULT_DOCUMENT_MAX_CHARS,
  DEFAULT_DOCUMENT_MAX_PAGES,
  DEFAULT_MAX_PDF_BYTES,
  type ExtractDocumentTextOptions,
  type ExtractedDocumentText,
  extractDocumentText,
  isExtractableDocument,
} from "./document-text.js";
export { parseMediaDirectives } from "./media-directives.js";
export { MediaError, type MediaErrorCode, MediaSizeError } from "./media-error.js";
export { type MediaKind, MediaKindSchema } from "./media-kind.js";
export { type LoadedMedia, type LoadMediaSourceOptions, loadMediaSource } from "./media-source.js";
export {
  createMediaStore,
  DEFAULT_MEDIA_MAX_AGE_MS,
  DEFAULT_MEDIA_MAX_TOTAL_BYTES,
  type MediaDirection,
  type MediaStore,
  type MediaStoreOptions,
  type SaveMediaMeta,
  type StoredMedia,
} from "./media-store.js";
export { type MediaHint, type SniffedMedia, sniffMedia } from "./sniff-media.js";
export {
  type CreateTranscriberOptions,
  createTranscriber,
  type TranscribeOptions,
  type Transcriber,
  type Transcript,
} from "./transcriber.js";
export {
  DEFAULT_AUDIO_MAX_BYTES,
  DEFAULT_AUDIO_TIMEOUT_SECONDS,
  ToolsMediaConfigSchema,
} from "./transcription-config.js";
export { TranscriptionError, type TranscriptionErrorCode } from "./transcription-error.js";
