import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ClusterCoordinator,
  createMemoryStorage,
  createMemoryStorageData,
  type MemoryStorageData,
} from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfigPaths } from "../config/config-paths.js";
import { createLogger } from "../logging/logger.js";
import { GatewayConfigState } from "../runtime/config-state.js";
import {
  type ClusterConfigSync,
  CONFIG_ROW_KEY,
  CONFIG_TABLE,
  type ReplicatedConfig,
  startClusterConfigSync,
} from "./cluster-config-sync.js";

interface Instance {
  state: GatewayConfigState;
  sync: ClusterConfigSync;
  cluster: ClusterCoordinator;
}

const logger = createLogger({ level: "silent", sinks: [] });
let data: MemoryStorageData;
let dirs: string[];
let instances: Instance[];

beforeEach(() => {
  data = createMemoryStorageData();
  dirs = [];
  instances = [];
});

afterEach(async () => {
  for (const instance of instances) {
    instance.sync.stop();
    await instance.cluster.close();
  }
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function startInstance(name: string, text: string): Promise<Instance> {
  const stateDir = await mkdtemp(join(tmpdir(), `config-sync-${name}-`));
  dirs.push(stateDir);
  const paths = resolveConfigPaths({ stateDir, env: {} });
  await writeFile(paths.configPath, text, "utf8");
  const state = await GatewayConfigState.open(paths, logger);
  const storage = createMemoryStorage({ data });
  const cluster = await storage.openCluster?.({ instanceId: name });
  if (!cluster) throw new Error("the memory storage opens no cluster");
  const sync = await startClusterConfigSync({ configState: state, storage, cluster, logger });
  const instance = { state, sync, cluster };
  instances.push(instance);
  return instance;
}

const portConfig = (port: number) => `{ "gateway": { "port": ${port} } }\n`;

describe("config replication between instances", () => {
  it("applies a config written through one instance to the other's file and running config", async () => {
    const a = await startInstance("a", portConfig(18789));
    const b = await startInstance("b", portConfig(18789));
    const changes: number[] = [];
    b.state.onChange((config) => changes.push(config.gateway.port));

    const raw = '{ "gateway": { "port": 18789 }, "cron": { "enabled": false } }\n';
    await a.state.write(raw, a.state.current.hash);
    await expect.poll(() => b.state.config.cron?.enabled).toBe(false);
    expect(await readFile(b.state.paths.configPath, "utf8")).toBe(raw);
    expect(b.state.current.hash).toBe(a.state.current.hash);
    expect(changes).toHaveLength(1);

    const row = await createMemoryStorage({ data }).table<ReplicatedConfig>(CONFIG_TABLE).get(CONFIG_ROW_KEY);
    expect(row?.value).toMatchObject({ raw, hash: a.state.current.hash, writtenBy: "a" });
  });

  it("replicates back the other way without echo, and leaves a file that already matches untouched", async () => {
    const a = await startInstance("a", portConfig(18789));
    const b = await startInstance("b", portConfig(18789));
    await b.state.write(portConfig(18800), b.state.current.hash);
    await expect.poll(() => a.state.config.gateway.port).toBe(18800);
    await a.sync.settled();
    const before = await stat(b.state.paths.configPath);

    // A write that leaves the text as it is on every instance: announced, but nobody rewrites a file.
    await a.state.write(portConfig(18800), a.state.current.hash);
    await a.cluster.flush();
    await b.sync.settled();
    expect((await stat(b.state.paths.configPath)).mtimeMs).toBe(before.mtimeMs);
    expect(b.state.config.gateway.port).toBe(18800);
  });

  it("keeps an instance's own file at start, and keeps hand edits local", async () => {
    const a = await startInstance("a", portConfig(18789));
    await a.state.write(portConfig(18801), a.state.current.hash);
    await a.sync.settled();

    // Started after the write, with another file: its own file wins.
    const b = await startInstance("b", portConfig(18802));
    expect(b.state.config.gateway.port).toBe(18802);
    expect(await readFile(b.state.paths.configPath, "utf8")).toBe(portConfig(18802));

    // A hand edit of a's file is picked up by a alone.
    await writeFile(a.state.paths.configPath, portConfig(18803), "utf8");
    await a.state.refresh();
    await a.cluster.flush();
    await b.sync.settled();
    expect(a.state.config.gateway.port).toBe(18803);
    expect(b.state.config.gateway.port).toBe(18802);

    // The next write through any instance reaches every one.
    await b.state.write(portConfig(18804), b.state.current.hash);
    await expect.poll(() => a.state.config.gateway.port).toBe(18804);
  });

  it("gives write back its own behaviour when stopped", async () => {
    const a = await startInstance("a", portConfig(18789));
    const b = await startInstance("b", portConfig(18789));
    a.sync.stop();
    expect(Object.hasOwn(a.state, "write")).toBe(false);
    await a.state.write(portConfig(18805), a.state.current.hash);
    await a.cluster.flush();
    await b.sync.settled();
    expect(b.state.config.gateway.port).toBe(18789);
  });
});
