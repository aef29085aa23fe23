export { createFileSessionStore, type FileSessionStoreOptions } from "./file-session-store.js";
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
  linkedPeerId,
  MAX_SESSION_KEY_LENGTH,
  normalizeAccountId,
  normalizeAgentId,
  normalizeSessionKey,
  type ParsedSessionKey,
  parseSessionKey,
} from "./session-key.js";
export {
  DEFAULT_IDLE_MINUTES,
  DEFAULT_RESET_AT_HOUR,
  lastDailyBoundary,
  matchResetTrigger,
  resetPolicyFor,
  type SessionResetChatType,
  type SessionResetConfig,
  type SessionResetPolicy,
  sessionExpiry,
} from "./session-reset-policy.js";
export {
  MAX_RESOLVE_CANDIDATES,
  type SessionCandidate,
  type SessionQuery,
  type SessionResolution,
} from "./session-resolver.js";
export {
  DEFAULT_COMPACT_MAX_LINES,
  DEFAULT_PREVIEW_LIMIT,
  DEFAULT_PREVIEW_MAX_CHARS,
  type SessionDeleteOptions,
  type SessionInit,
  type SessionListOptions,
  type SessionPatch,
  type SessionPreview,
  type SessionPreviewOptions,
  type SessionResetOptions,
  type SessionStore,
  type SessionStoreLogger,
} from "./session-store.js";
export {
  abortReason,
  acquireLeaseWhenFree,
  assertClusterKey,
  assertClusterTopic,
  assertInstanceId,
  assertLeasePrefix,
  CLAIM_RETENTION_MS,
  CLUSTER_TOPIC_PATTERN,
  ClusterMemberInfoSchema,
  clusterClosedError,
  leaseTtlMs,
  MAX_LEASE_TTL_MS,
  MEMBER_RETENTION_MS,
  MIN_LEASE_TTL_MS,
  parseClusterMemberInfo,
  serializeClusterPayload,
} from "./storage/cluster-arguments.js";
export {
  CLUSTER_LIMITS,
  type ClusterCoordinator,
  type ClusterLease,
  type ClusterListener,
  type ClusterMember,
  type ClusterMemberInfo,
  type LeaseOptions,
  type LeaseRecord,
  type OpenClusterOptions,
} from "./storage/cluster-port.js";
export { ClusterSubscriptions } from "./storage/cluster-subscriptions.js";
export {
  importLegacySessionFiles,
  LEGACY_IMPORT_KEY,
  LEGACY_IMPORT_TABLE,
  type LegacyImportLogger,
  type LegacyImportMarker,
  type LegacyImportOptions,
  type LegacyImportResult,
} from "./storage/legacy-import.js";
export {
  expireMemoryClusterLease,
  MEMORY_CLUSTER_SCHEMA_VERSION,
  type MemoryClusterOptions,
  openMemoryCluster,
} from "./storage/memory-cluster.js";
export {
  createMemoryStorage,
  createMemoryStorageData,
  type MemoryStorageData,
  type MemoryStorageOptions,
} from "./storage/memory-storage.js";
export {
  exportOpenClawLayout,
  type OpenClawExportOptions,
  type OpenClawExportResult,
} from "./storage/openclaw-export.js";
export {
  importOpenClawSqliteSessions,
  OPENCLAW_SQLITE_IMPORT_KEY,
  type OpenClawSqliteImportMarker,
  type OpenClawSqliteImportOptions,
  type OpenClawSqliteImportResult,
} from "./storage/openclaw-sqlite-import.js";
export {
  hasOpenClawSqliteState,
  type OpenClawDatabase,
  type OpenClawSqliteSnapshot,
  openOpenClawSqliteSnapshot,
  type SqlRow,
} from "./storage/openclaw-sqlite-snapshot.js";
export {
  importOpenClawSessions,
  type OpenClawSessionsImportResult,
} from "./storage/openclaw-state-import.js";
export {
  compareStoredSessions,
  hiddenSessionKind,
  matchesSessionRowQuery,
} from "./storage/session-row-query.js";
export { createSessionStore, type SessionStoreOverPortOptions } from "./storage/session-store-over-port.js";
export {
  assertTableKey,
  assertTableName,
  MAX_TABLE_KEY_LENGTH,
  MAX_TABLE_NAME_LENGTH,
  sessionVersionConflict,
  storageClosedError,
  TABLE_NAME_PATTERN,
  tableVersionConflict,
} from "./storage/storage-arguments.js";
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
export type {
  UsageGroup,
  UsageGroupKey,
  UsageLedger,
  UsageQuery,
  UsageRow,
} from "./storage/usage-ledger.js";
export { USAGE_GROUP_COLUMNS, USAGE_LIMITS } from "./storage/usage-ledger.js";
export {
  assertUsageQuery,
  assertUsageRows,
  emptyUsageGroup,
  groupUsageRows,
  usageBucketOf,
} from "./storage/usage-ledger-rows.js";
export { TRANSCRIPT_ROLES, type TranscriptEntry, type TranscriptRole } from "./transcript-file.js";
