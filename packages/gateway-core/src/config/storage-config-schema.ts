import { z } from "zod";

/** The driver a `storage` section without `driver` names: the embedded SQLite store. */
export const DEFAULT_STORAGE_DRIVER = "sqlite";

/**
 * The legacy file layout (`agents/<id>/sessions/sessions.json` + JSONL transcripts), built in: what a gateway
 * with no storage driver registered keeps using, and what `storage.driver: "file"` asks for explicitly.
 */
export const FILE_STORAGE_DRIVER = "file";

/**
 * `storage`: where sessions, transcripts and the gateway's small tables live. Our own key (OpenClaw has none).
 * `driver` names a storage driver registered with the gateway (`sqlite`, `postgres`, a third party's); the other
 * keys are the driver's own options, passed to it as written and validated by it (`url`, `path`, `schema`, ...).
 * A change applies after a restart.
 */
export const StorageConfigSchema = z
  .looseObject({
    driver: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, 'must be a driver name such as "sqlite" or "postgres"')
      .optional()
      .meta({
        description: `The storage driver (default "${DEFAULT_STORAGE_DRIVER}"; "file" for the legacy layout).`,
      }),
    url: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Connection URL (postgres: postgres://user@host/db)." }),
    path: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Database file (sqlite; relative to the state dir)." }),
    schema: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Database schema the tables live in (postgres)." }),
  })
  .meta({
    title: "Session storage",
    description:
      'storage.driver ("sqlite" by default, "postgres", "file" or a third party\'s) and that driver\'s options.',
  });

export type StorageConfig = z.infer<typeof StorageConfigSchema>;
