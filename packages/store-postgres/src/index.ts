export { clusterApplicationName } from "./cluster/cluster-connection.js";
export { openPostgresCluster, type PostgresClusterOptions } from "./cluster/postgres-cluster.js";
export { createPostgresStorage } from "./create-postgres-storage.js";
export type { StorageLogger } from "./postgres-database.js";
export { LATEST_SCHEMA_VERSION } from "./postgres-migrations.js";
export { postgresStorageDriver, STORAGE_URL_ENV } from "./postgres-storage-driver.js";
export {
  isPostgresStorageError,
  PostgresStorageError,
  type PostgresStorageErrorCode,
  type PostgresStorageErrorOptions,
} from "./postgres-storage-error.js";
export {
  DEFAULT_SCHEMA,
  type PostgresDriverOptions,
  type PostgresStorageOptions,
  SCHEMA_NAME_PATTERN,
} from "./postgres-storage-options.js";
