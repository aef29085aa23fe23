export { SCHEMA_VERSION } from "./schema-migrations.js";
export { createSqliteStorage } from "./sqlite-storage.js";
export { sqliteStorageDriver } from "./sqlite-storage-driver.js";
export { SqliteStorageError, type SqliteStorageErrorCode } from "./sqlite-storage-error.js";
export {
  defaultSqlitePath,
  SQLITE_SYNCHRONOUS_MODES,
  type SqliteDriverOptions,
  SqliteDriverOptionsSchema,
  type SqliteStorageOptions,
  SqliteStorageOptionsSchema,
} from "./sqlite-storage-options.js";
