import { resolve } from "node:path";
import type { StorageDriver } from "@openclaw/sessions";
import { sqliteUnavailableReason } from "./load-node-sqlite.js";
import { createSqliteStorage } from "./sqlite-storage.js";
import { defaultSqlitePath, parseWithFix, SqliteDriverOptionsSchema } from "./sqlite-storage-options.js";

/**
 * `storage.driver: "sqlite"`: the embedded default. Options are the config's `storage` section without `driver`:
 * `{ path?, synchronous?, busyTimeoutMs? }`; the file defaults to `<stateDir>/state/gateway.sqlite`.
 */
export const sqliteStorageDriver: StorageDriver = {
  id: "sqlite",
  async open(options, context) {
    const parsed = parseWithFix(SqliteDriverOptionsSchema, options, "storage (driver sqlite)");
    const storage = await createSqliteStorage({
      ...parsed,
      // A relative path is relative to the state dir (as the config documents), never to the working directory.
      path:
        parsed.path === undefined
          ? defaultSqlitePath(context.stateDir)
          : resolve(context.stateDir, parsed.path),
    });
    context.logger?.info("storage.opened", { driver: "sqlite", location: storage.location });
    return storage;
  },
  unavailableReason: sqliteUnavailableReason,
};
