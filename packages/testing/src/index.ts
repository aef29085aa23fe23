export * from "./attacks/index.js";
export * from "./discord/index.js";
export type { FakeModelServer, FakeModelServerOptions } from "./fake-model-server.js";
export { startFakeModelServer } from "./fake-model-server.js";
export { FakeModelServerError, type FakeModelServerErrorCode } from "./fake-model-server-error.js";
export type { FakeApi, FakeReply, FakeToolCall, RecordedRequest } from "./fake-reply.js";
export { lastUserText } from "./fake-reply.js";
export {
  FAKE_EMBEDDING_DIMENSIONS,
  type FakeEmbeddings,
  fakeEmbedding,
  type RecordedEmbeddingsRequest,
} from "./openai-embeddings.js";
export {
  type FakeTranscriptions,
  MAX_TRANSCRIPTION_UPLOAD_BYTES,
  type RecordedTranscriptionRequest,
  TRANSCRIPTIONS_PATH,
} from "./openai-transcriptions.js";
export {
  type EnsureOpenClawReleaseOptions,
  ensureOpenClawRelease,
  OPENCLAW_REFERENCE_VERSION,
  type OpenClawRelease,
  type OpenClawReleaseResult,
} from "./openclaw-release.js";
export * from "./otlp/index.js";
export {
  type PlatformOutage,
  type PlatformOutageMode,
  type PlatformOutageOptions,
  startPlatformOutage,
} from "./outage/platform-outage.js";
export { type RecordedImage, userImages } from "./recorded-images.js";
export * from "./slack/index.js";
export * from "./telegram/index.js";
export * from "./web-search/index.js";
export * from "./whatsapp/index.js";
