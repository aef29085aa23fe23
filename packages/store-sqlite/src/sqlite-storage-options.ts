import { join } from "node:path";
import { z } from "zod";
import { SqliteStorageError } from "./sqlite-storage-error.js";

export const SQLITE_SYNCHRONOUS_MODES = ["full", "normal"] as const;

export const SqliteStorageOptionsSchema = z.strictObject({
  /** The database file; its directory is created (mode 0700) and the file is kept at mode 0600. */
  path: z.string().min(1),
  /**
   * `full` (default): every acknowledged write is fsync'd, so it survives power loss too.
   * `normal`: acknowledged writes survive a killed process but the last ones may be lost on power loss.
   */
  synchronous: z.enum(SQLITE_SYNCHRONOUS_MODES).default("full"),
  /** How long a write waits for another process holding the database lock before failing. */
  busyTimeoutMs: z.int().min(0).max(600_000).default(5_000),
});
export type SqliteStorageOptions = z.input<typeof SqliteStorageOptionsSchema>;
export type ResolvedSqliteStorageOptions = z.output<typeof SqliteStorageOptionsSchema>;

/** The config's `storage` section for `driver: "sqlite"` (without `driver`). */
export const SqliteDriverOptionsSchema = z.strictObject({
  path: z.string().min(1).optional(),
  synchronous: z.enum(SQLITE_SYNCHRONOUS_MODES).optional(),
  busyTimeoutMs: z.int().min(0).max(600_000).optional(),
});
export type SqliteDriverOptions = z.infer<typeof SqliteDriverOptionsSchema>;

/** Where a gateway keeps its database unless `storage.path` says otherwise. */
export function defaultSqlitePath(stateDir: string): string {
  return join(stateDir, "state", "gateway.sqlite");
}

export function parseWithFix<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "(root)";
  throw new SqliteStorageError(
    "INVALID_SQLITE_OPTIONS",
    `${what}: ${where}: ${issue?.message ?? "invalid"}; allowed keys are path (string), synchronous ("full" | "normal") and busyTimeoutMs (integer ms)`,
    { details: { issues: parsed.error.issues } },
  );
}
