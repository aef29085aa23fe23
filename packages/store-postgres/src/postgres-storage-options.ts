import { z } from "zod";
import { PostgresStorageError } from "./postgres-storage-error.js";

/** Schema names we accept: safe to quote as an identifier, short enough for PostgreSQL (63 bytes). */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
export const DEFAULT_SCHEMA = "openclaw";
export const DEFAULT_POOL_MAX = 10;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const PostgresUrlSchema = z.string().refine(isPostgresUrl, {
  message: 'must be a postgres:// or postgresql:// URL, e.g. "postgres://openclaw@db.internal:5432/openclaw"',
});

const SchemaNameSchema = z.string().regex(SCHEMA_NAME_PATTERN, {
  message: 'must be lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters',
});

export const PostgresStorageOptionsSchema = z.strictObject({
  url: PostgresUrlSchema,
  schema: SchemaNameSchema.default(DEFAULT_SCHEMA),
  pool: z.strictObject({ max: z.int().min(1).max(1000).optional() }).optional(),
  /** Cancels any statement running longer than this (PostgreSQL `statement_timeout`); unset = no limit. */
  statementTimeoutMs: z.int().min(1).optional(),
  /** How long to wait for a connection to the server before failing with STORAGE_UNREACHABLE. */
  connectTimeoutMs: z.int().min(1).default(DEFAULT_CONNECT_TIMEOUT_MS),
});
export type PostgresStorageOptions = z.input<typeof PostgresStorageOptionsSchema>;
export type ResolvedPostgresStorageOptions = z.output<typeof PostgresStorageOptionsSchema>;

/** The `storage` config section (without `driver`) the `postgres` driver accepts. */
export const PostgresDriverOptionsSchema = z.strictObject({
  url: PostgresUrlSchema.optional(),
  schema: SchemaNameSchema.optional(),
  poolMax: z.int().min(1).max(1000).optional(),
  statementTimeoutMs: z.int().min(1).optional(),
});
export type PostgresDriverOptions = z.infer<typeof PostgresDriverOptionsSchema>;

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const scheme = url.protocol === "postgres:" || url.protocol === "postgresql:";
    // A Unix socket is named by `?host=/var/run/postgresql` with an empty authority.
    return scheme && (url.hostname !== "" || url.searchParams.has("host"));
  } catch {
    return false;
  }
}

/** Parses options at the edge; every issue is named by its config key (`storage.<key>`). */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  keyPrefix = "storage",
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [issue.path.join(".")];
    const where = keys.map((key) => (key ? `${keyPrefix}.${key}` : keyPrefix)).join(", ");
    const what =
      issue.code === "unrecognized_keys" ? "is not an option of the postgres storage" : issue.message;
    return `${where} ${what}`;
  });
  throw new PostgresStorageError(
    "STORAGE_CONFIG_INVALID",
    `invalid postgres storage options: ${issues.join("; ")}`,
    {
      details: { issues },
    },
  );
}

/** The URL as it may be shown and logged: the password (in the authority or `?password=`) removed. */
export function redactUrl(value: string): string {
  const url = new URL(value);
  url.password = "";
  url.searchParams.delete("password");
  return url.toString();
}
