import type { SessionStorage } from "@openclaw/sessions";
import { mapPostgresError } from "./map-postgres-error.js";
import { PostgresDatabase, type StorageLogger } from "./postgres-database.js";
import { migrate } from "./postgres-migrations.js";
import { PostgresSessionStorage } from "./postgres-session-storage.js";
import {
  type PostgresStorageOptions,
  PostgresStorageOptionsSchema,
  parseOptions,
  redactUrl,
} from "./postgres-storage-options.js";

/**
 * Opens the PostgreSQL session storage: connects, brings `<schema>` up to date (creating it when missing) and
 * returns the port. Fails with PostgresStorageError (STORAGE_CONFIG_INVALID, STORAGE_UNREACHABLE,
 * STORAGE_AUTH_FAILED, STORAGE_SCHEMA_TOO_NEW) before returning anything half-open.
 */
export async function createPostgresStorage(
  options: PostgresStorageOptions & { logger?: StorageLogger },
): Promise<SessionStorage> {
  const { logger, ...rest } = options;
  const resolved = parseOptions(PostgresStorageOptionsSchema, rest);
  const location = redactUrl(resolved.url);
  const db = PostgresDatabase.create(resolved, location, logger);
  const quotedSchema = `"${resolved.schema}"`;
  try {
    const client = await db.pool.connect();
    try {
      const applied = await migrate(client, resolved.schema, quotedSchema);
      if (applied.length > 0) {
        logger?.info("storage.postgres.migrated", { location, schema: resolved.schema, versions: applied });
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await db.close();
    throw mapPostgresError(error, location);
  }
  return new PostgresSessionStorage(db, quotedSchema, resolved);
}
