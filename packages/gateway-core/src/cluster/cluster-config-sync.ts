import type { ClusterCoordinator, SessionStorage, StorageTable } from "@openclaw/sessions";
import { z } from "zod";
import { hashConfigText, type LoadedConfig, writeConfigFile } from "../config/index.js";
import { readConfigFile } from "../config/load-config.js";
import type { Logger } from "../logging/logger.js";
import type { GatewayConfigState } from "../runtime/config-state.js";

/** The storage table holding the config last written through any instance (one row, {@link CONFIG_ROW_KEY}). */
export const CONFIG_TABLE = "gateway.config";
export const CONFIG_ROW_KEY = "current";
/** Published after a config write through an instance; the payload names the hash, the row holds the text. */
export const CONFIG_CHANGED_TOPIC = "config.changed";
/** A config file larger than this is not replicated (nor accepted from the table). */
export const MAX_REPLICATED_CONFIG_BYTES = 1024 * 1024;

const ReplicatedConfigSchema = z.object({
  raw: z.string().max(MAX_REPLICATED_CONFIG_BYTES),
  hash: z.string().min(1).max(200),
  writtenBy: z.string().max(512),
  writtenAt: z.number(),
});
export type ReplicatedConfig = z.infer<typeof ReplicatedConfigSchema>;

const ChangedPayloadSchema = z.object({ hash: z.string().max(200) });

export interface ClusterConfigSyncOptions {
  configState: GatewayConfigState;
  storage: Pick<SessionStorage, "table">;
  cluster: ClusterCoordinator;
  logger: Logger;
}

export interface ClusterConfigSync {
  /** Stops listening and gives `configState.write` back its own behaviour. */
  stop(): void;
  /** Resolves once every replication started so far (publishing a write, applying a received one) finished. */
  settled(): Promise<void>;
}

/**
 * Config replication between gateway instances: a config written through one instance (`config.set`, `patch`,
 * `apply`: every write goes through `GatewayConfigState.write`) is stored as text and hash in the `gateway.config`
 * table and announced with `config.changed`; every other instance then writes that text to its own config file
 * (atomically, only when its file's hash differs) and reloads it, exactly as if the file had been edited by hand
 * (the reload plan, hot/restart paths, an invalid file kept out). Hand edits of one instance's file stay local.
 * At start an instance's own file wins: it is never overwritten by the table, a difference is only logged.
 *
 * Wraps `configState.write` on the instance (restored by `stop`), so `GatewayConfigState` needs no hook.
 */
export async function startClusterConfigSync(options: ClusterConfigSyncOptions): Promise<ClusterConfigSync> {
  const { configState, cluster, logger } = options;
  const table = options.storage.table<unknown>(CONFIG_TABLE);
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => {
      logger.warn("config replication failed", { error: (error as Error).message });
    });
  };

  await reportStartDifference(table, configState, logger);

  const write = configState.write.bind(configState);
  configState.write = async (raw: string, baseHash?: string): Promise<LoadedConfig> => {
    const loaded = await write(raw, baseHash);
    enqueue(() => publishWrite(table, cluster, loaded));
    await queue;
    return loaded;
  };

  const unsubscribe = cluster.subscribe(CONFIG_CHANGED_TOPIC, (payload, origin) => {
    const parsed = ChangedPayloadSchema.safeParse(payload);
    if (!parsed.success) return;
    enqueue(() => applyReplicated(table, configState, logger, origin));
  });

  return {
    stop() {
      unsubscribe();
      Reflect.deleteProperty(configState, "write");
    },
    settled: () => queue,
  };
}

async function publishWrite(
  table: StorageTable<unknown>,
  cluster: ClusterCoordinator,
  loaded: LoadedConfig,
): Promise<void> {
  if (Buffer.byteLength(loaded.raw, "utf8") > MAX_REPLICATED_CONFIG_BYTES) {
    throw new Error(
      `the config file is larger than ${MAX_REPLICATED_CONFIG_BYTES} bytes and is not replicated to the other instances: shrink it`,
    );
  }
  const row: ReplicatedConfig = {
    raw: loaded.raw,
    hash: loaded.hash,
    writtenBy: cluster.instanceId,
    writtenAt: Date.now(),
  };
  // Last writer wins, as two editors of one file would; each write was already checked against its own base.
  await table.put(CONFIG_ROW_KEY, row);
  cluster.publish(CONFIG_CHANGED_TOPIC, { hash: loaded.hash });
}

/** Reads the row (the message only names a hash) and writes it to this instance's file when that differs. */
async function applyReplicated(
  table: StorageTable<unknown>,
  configState: GatewayConfigState,
  logger: Logger,
  origin: string,
): Promise<void> {
  const row = await readRow(table, logger);
  if (!row) return;
  const path = configState.paths.configPath;
  const onDisk = await readConfigFile(path);
  if (onDisk !== undefined && hashConfigText(onDisk) === row.hash) return;
  await writeConfigFile(path, row.raw);
  logger.info("config written by another instance; applied to this instance's file", {
    path,
    from: origin,
    hash: row.hash,
  });
  await configState.refresh();
}

async function readRow(table: StorageTable<unknown>, logger: Logger): Promise<ReplicatedConfig | undefined> {
  const record = await table.get(CONFIG_ROW_KEY);
  if (!record) return undefined;
  const parsed = ReplicatedConfigSchema.safeParse(record.value);
  if (!parsed.success || hashConfigText(parsed.data.raw) !== parsed.data.hash) {
    logger.warn(`the ${CONFIG_TABLE} row is malformed; ignored it (the next config write replaces it)`);
    return undefined;
  }
  return parsed.data;
}

async function reportStartDifference(
  table: StorageTable<unknown>,
  configState: GatewayConfigState,
  logger: Logger,
): Promise<void> {
  const row = await readRow(table, logger);
  if (!row || row.hash === configState.current.hash) return;
  logger.info(
    "this instance's config file differs from the config last written through the cluster; the local file is kept (the next config write through any instance replaces it everywhere)",
    { path: configState.paths.configPath, clusterHash: row.hash, writtenBy: row.writtenBy },
  );
}
