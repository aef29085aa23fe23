import type { SessionStorage, StorageDriver, StorageDriverContext } from "@openclaw/sessions";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { PostgresStorageError } from "./postgres-storage-error.js";
import { PostgresDriverOptionsSchema, parseOptions } from "./postgres-storage-options.js";

/** The env variable that supplies `storage.url` when the config leaves it out (keeps the password out of files). */
export const STORAGE_URL_ENV = "OPENCLAW_STORAGE_URL";

/**
 * `storage.driver: "postgres"`: `{ url, schema?, poolMax?, statementTimeoutMs? }` from the config's `storage`
 * section, `url` falling back to OPENCLAW_STORAGE_URL.
 */
export const postgresStorageDriver: StorageDriver = {
  id: "postgres",
  async open(options: Record<string, unknown>, context: StorageDriverContext): Promise<SessionStorage> {
    const parsed = parseOptions(PostgresDriverOptionsSchema, options);
    const url = parsed.url ?? context.env[STORAGE_URL_ENV];
    if (url === undefined || url.trim() === "") {
      throw new PostgresStorageError(
        "STORAGE_CONFIG_INVALID",
        `storage.url is not set: set storage.url (e.g. "postgres://openclaw@db.internal:5432/openclaw") or ${STORAGE_URL_ENV} for storage.driver "postgres"`,
        { details: { key: "storage.url" } },
      );
    }
    return createPostgresStorage({
      url,
      ...(parsed.schema === undefined ? {} : { schema: parsed.schema }),
      ...(parsed.poolMax === undefined ? {} : { pool: { max: parsed.poolMax } }),
      ...(parsed.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: parsed.statementTimeoutMs }),
      ...(context.logger === undefined ? {} : { logger: context.logger }),
    });
  },
};
