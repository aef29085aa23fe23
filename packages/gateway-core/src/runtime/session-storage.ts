import {
  createFileSessionStore,
  createSessionStore,
  importOpenClawSessions,
  type SessionStorage,
  type SessionStore,
} from "@openclaw/sessions";
import type { PluginRegistry } from "../channels/index.js";
import { DEFAULT_STORAGE_DRIVER, FILE_STORAGE_DRIVER, type StorageConfig } from "../config/index.js";
import type { Logger } from "../logging/logger.js";
import type { StorageOption } from "./gateway-runtime-deps.js";
import { GatewayStartError } from "./gateway-start-error.js";

/** The session store a runtime serves, and the storage under it (undefined for the legacy file layout). */
export interface OpenedSessionStore {
  sessions: SessionStore;
  storage: SessionStorage | undefined;
  /** Closes the session store, and the storage when it was opened here (an injected instance is its owner's). */
  close(): Promise<void>;
}

export interface OpenSessionStoreOptions {
  /** `StartGatewayOptions.storage`: an opened storage or a driver config; wins over the config section. */
  option?: StorageOption;
  /** The config's `storage` section. */
  config?: StorageConfig;
  plugins: PluginRegistry;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  defaultAgentId: string;
  now: () => number;
}

function isStorageInstance(option: StorageOption): option is SessionStorage {
  const candidate = option as Partial<SessionStorage>;
  return typeof candidate.getSession === "function" && typeof candidate.table === "function";
}

/**
 * Picks the storage: the start option, else the config's `storage` section (driver "sqlite" when it names none),
 * else the `sqlite` driver when one is registered, else the legacy file layout (a gateway embedded without
 * drivers keeps working as before). A driver storage gets the legacy files imported once before it is served.
 */
export async function openSessionStore(o: OpenSessionStoreOptions): Promise<OpenedSessionStore> {
  const logger = o.logger.child({ component: "sessions" });
  if (o.option && isStorageInstance(o.option)) {
    const sessions = await overStorage(o.option, o, logger);
    return { sessions, storage: o.option, close: () => sessions.close() };
  }
  const section: StorageConfig = o.option ?? o.config ?? (await defaultSection(o.plugins, logger));
  const { driver: driverId = DEFAULT_STORAGE_DRIVER, ...driverOptions } = section;
  if (driverId === FILE_STORAGE_DRIVER) {
    const sessions = await createFileSessionStore({ stateDir: o.stateDir, logger });
    return { sessions, storage: undefined, close: () => sessions.close() };
  }
  const driver = o.plugins.storageDriver(driverId);
  if (!driver) {
    const known = [...o.plugins.storageDriverIds(), FILE_STORAGE_DRIVER];
    throw new GatewayStartError(
      "STORAGE_DRIVER_UNKNOWN",
      `storage.driver is "${driverId}", which no registered storage driver provides: set storage.driver to one of ${known.join(", ")} or register the driver (PluginRegistry.registerStorageDriver)`,
    );
  }
  let storage: SessionStorage;
  try {
    storage = await driver.open(driverOptions, { stateDir: o.stateDir, env: o.env, logger });
  } catch (error) {
    throw new GatewayStartError(
      "STORAGE_OPEN_FAILED",
      `storage driver "${driverId}" could not open: ${(error as Error).message} (check the storage section of openclaw.json)`,
      { cause: error },
    );
  }
  try {
    const sessions = await overStorage(storage, o, logger);
    return {
      sessions,
      storage,
      close: async () => {
        await sessions.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/**
 * With no storage named anywhere: the registered default driver, unless it says it cannot run in this process
 * (e.g. node:sqlite missing on an old Node), in which case the legacy file layout keeps the gateway starting.
 */
async function defaultSection(plugins: PluginRegistry, logger: Logger): Promise<StorageConfig> {
  const driver = plugins.storageDriver(DEFAULT_STORAGE_DRIVER);
  if (!driver) return { driver: FILE_STORAGE_DRIVER };
  const reason = await driver.unavailableReason?.();
  if (reason === undefined) return {};
  logger.warn("default storage driver unavailable; keeping sessions in the legacy file layout", {
    driver: DEFAULT_STORAGE_DRIVER,
    reason,
  });
  return { driver: FILE_STORAGE_DRIVER };
}

/**
 * Imports an existing OpenClaw state directory's sessions once, in both layouts (older `sessions.json` + JSONL, and
 * 2026.9's SQLite databases; the originals stay as they are), then serves the store over the port.
 */
async function overStorage(
  storage: SessionStorage,
  o: OpenSessionStoreOptions,
  logger: Logger,
): Promise<SessionStore> {
  const { legacy, sqlite, sqliteError } = await importOpenClawSessions({
    stateDir: o.stateDir,
    storage,
    logger,
    now: o.now,
  });
  if (legacy.imported) {
    logger.info("legacy sessions imported", {
      driver: storage.driver,
      sessions: legacy.sessions,
      transcripts: legacy.transcripts,
      entries: legacy.entries,
      ignoredLines: legacy.ignoredLines,
      skipped: legacy.skipped.length,
    });
    for (const skipped of legacy.skipped) logger.warn("legacy session file not imported", skipped);
  }
  if (sqlite?.imported) {
    logger.info(
      "OpenClaw SQLite sessions imported (its databases were read from a copy and left as they are)",
      {
        driver: storage.driver,
        sessions: sqlite.sessions,
        transcripts: sqlite.transcripts,
        entries: sqlite.entries,
        skipped: sqlite.skipped.length,
      },
    );
    for (const skipped of sqlite.skipped) logger.warn("OpenClaw SQLite session not imported", skipped);
  }
  if (sqliteError !== undefined) {
    logger.error(
      "OpenClaw's SQLite sessions could not be imported; nothing of them was taken, the next start tries again (check that state/openclaw.sqlite and agents/*/agent/openclaw-agent.sqlite are readable SQLite files)",
      { stateDir: o.stateDir, error: sqliteError },
    );
  }
  return createSessionStore(storage, { logger, defaultAgentId: o.defaultAgentId, clock: o.now });
}
