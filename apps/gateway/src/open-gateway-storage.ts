import {
  createLogger,
  type Logger,
  listConfiguredAgents,
  loadConfig,
  openSessionStore,
  resolveConfigPaths,
} from "@openclaw/gateway-core";
import { createMemoryStorage, importOpenClawSessions, type SessionStorage } from "@openclaw/sessions";
import { createFirstPartyPlugins } from "./first-party-plugins.js";

export interface GatewayStorageHandle {
  storage: SessionStorage;
  /** The driver the config names ("sqlite" by default), or "file" for the legacy layout. */
  driver: string;
  /** Where the data lives (a file path, or a URL without its password). */
  location: string;
  close(): Promise<void>;
}

/**
 * Opens the storage a gateway on this state dir uses, as `startGatewayServer` would pick it (the config's `storage`
 * section, the first-party drivers, SQLite by default), for offline tools such as `openclaw sessions export`. With
 * the legacy file layout the sessions are read into memory, so callers see one SessionStorage either way. Safe next
 * to a running gateway: SQLite readers do not block its writer, and PostgreSQL is shared by design.
 */
export async function openGatewayStorage(
  o: { stateDir?: string; configPath?: string; env?: NodeJS.ProcessEnv; logger?: Logger } = {},
): Promise<GatewayStorageHandle> {
  const env = o.env ?? process.env;
  const paths = resolveConfigPaths({ env, stateDir: o.stateDir, configPath: o.configPath });
  const { config } = await loadConfig(paths.configPath);
  const logger = o.logger ?? createLogger({ level: "silent", sinks: [] });
  const opened = await openSessionStore({
    config: config.storage,
    plugins: createFirstPartyPlugins(),
    stateDir: paths.stateDir,
    env,
    logger,
    defaultAgentId: listConfiguredAgents(config).find((agent) => agent.default === true)?.id ?? "main",
    now: Date.now,
  });
  if (opened.storage) {
    const storage = opened.storage;
    return { storage, driver: storage.driver, location: storage.location, close: () => opened.close() };
  }
  await opened.close();
  const storage = createMemoryStorage();
  await importOpenClawSessions({ stateDir: paths.stateDir, storage, logger });
  return { storage, driver: "file", location: paths.stateDir, close: () => storage.close() };
}
