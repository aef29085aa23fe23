export {
  createFileSessionStore,
  DEFAULT_COMPACT_MAX_LINES,
  DEFAULT_PREVIEW_LIMIT,
  DEFAULT_PREVIEW_MAX_CHARS,
  type FileSessionStoreOptions,
} from "./file-session-store.js";
export type { SessionRuntimeSettings, SessionStoreRow } from "./session-entry.js";
export { type StoredSessionEntry, StoredSessionEntrySchema } from "./session-entry.js";
export {
  isSessionError,
  SessionError,
  type SessionErrorCode,
  type SessionErrorOptions,
} from "./session-error.js";
export type { AdoptedTranscript, RecoveredKeySource } from "./session-index-rebuild.js";
export {
  inspectSessionIndexes,
  repairSessionIndexes,
  type SessionIndexHealth,
} from "./session-index-repair.js";
export {
  assertValidSessionKey,
  buildCronSessionKey,
  buildGroupSessionKey,
  buildHookSessionKey,
  buildMainSessionKey,
  buildPeerSessionKey,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_AGENT_ID,
  DEFAULT_MAIN_KEY,
  type DmScope,
  decodeKeySegment,
  encodeKeySegment,
  MAX_SESSION_KEY_LENGTH,
  normalizeAccountId,
  normalizeAgentId,
  normalizeSessionKey,
  type ParsedSessionKey,
  parseSessionKey,
} from "./session-key.js";
export {
  MAX_RESOLVE_CANDIDATES,
  type SessionCandidate,
  type SessionQuery,
  type SessionResolution,
} from "./session-resolver.js";
export type {
  SessionDeleteOptions,
  SessionInit,
  SessionListOptions,
  SessionPatch,
  SessionPreview,
  SessionPreviewOptions,
  SessionResetOptions,
  SessionStore,
  SessionStoreLogger,
} from "./session-store.js";
export type {
  HiddenSessionKind,
  SessionLookup,
  SessionRowQuery,
  SessionStorage,
  SessionWrite,
  StorageDriver,
  StorageDriverContext,
  StorageTable,
  StoredSession,
  TableRecord,
  TranscriptReadOptions,
} from "./storage/storage-port.js";
export { TRANSCRIPT_ROLES, type TranscriptEntry, type TranscriptRole } from "./transcript-file.js";
