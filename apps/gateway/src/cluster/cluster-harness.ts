import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import {
  type FakeModelServer,
  type FakeReply,
  type FakeTelegramServer,
  lastUserText,
  type RecordedRequest,
  startFakeModelServer,
} from "@openclaw/testing";
import { afterAll, beforeAll } from "vitest";
import { CLUSTER_TEST_POSTGRES_URL, createTestSchema, type TestSchema } from "./cluster-postgres.js";
import { type GatewayChild, type GatewayChildOptions, spawnGatewayChild } from "./cluster-process.js";
import { type PostgresCutProxy, startPostgresCutProxy } from "./postgres-cut-proxy.js";

/** One gateway process of the cluster, with an operator client connected to it. */
export interface ClusterInstance {
  /** "A", "B", "C", ... */
  readonly name: string;
  readonly stateDir: string;
  readonly port: number;
  readonly url: string;
  /** The process's instance id (`system.info.processInstanceId`), new at each start. */
  readonly instanceId: string;
  readonly process: GatewayChild;
  /** An operator client on this instance (reconnected by `restart`). */
  readonly client: GatewayClient;
  readonly running: boolean;
  /** A new operator client on this instance; closed with the cluster. */
  connect(): Promise<GatewayClient>;
  /** kill -9; the client's connection drops with it. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful close. */
  stop(): Promise<void>;
  /** Starts the process again on the same state dir and port, and reconnects `client`. */
  restart(): Promise<void>;
}

export interface ClusterOptions {
  /** Part of the schema name, e.g. "events". */
  purpose: string;
  size: number;
  model: FakeModelServer;
  /** One bot account served by this fake, polled by the cluster. */
  telegram?: { server: FakeTelegramServer; allowFrom: string[] };
  /** Merged into every instance's openclaw.json. */
  config?: Record<string, unknown>;
  /** Route the gateways' database connections through a cut-able proxy (default true). */
  viaProxy?: boolean;
  cronCatchUpDelayMs?: number;
  logLevel?: GatewayChildOptions["logLevel"];
  /** Start every instance at once (default: the first alone, so it creates the schema, then the rest together). */
  startAllAtOnce?: boolean;
}

export interface Cluster {
  readonly schema: string;
  readonly token: string;
  /** The URL the gateways were given (through the proxy unless `viaProxy: false`). */
  readonly databaseUrl: string;
  readonly proxy: PostgresCutProxy | undefined;
  readonly instances: ClusterInstance[];
  /** The instance whose `instanceId` this is. */
  byInstanceId(instanceId: string): ClusterInstance | undefined;
  /** Every instance's log tail, for a failure message. */
  logs(): string;
  /** Stops every process, closes every client and the proxy, drops the schema and removes the state dirs. */
  close(): Promise<void>;
}

const NAMES = "ABCDEFGHIJ";

/** The model and channel sections every instance shares; the storage section points at the shared schema. */
function clusterConfig(o: ClusterOptions, databaseUrl: string, schema: string): Record<string, unknown> {
  return {
    storage: { driver: "postgres", url: databaseUrl, schema },
    models: {
      providers: {
        fake: {
          baseUrl: o.model.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant", contextWindow: 128_000 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    ...(o.telegram
      ? {
          channels: {
            telegram: {
              botToken: o.telegram.server.token,
              apiRoot: o.telegram.server.apiRoot,
              pollTimeoutSeconds: 1,
              allowFrom: o.telegram.allowFrom,
            },
          },
        }
      : {}),
    ...o.config,
  };
}

async function operatorClient(url: string, token: string): Promise<GatewayClient> {
  const client = new GatewayClient({ url, token, requestTimeoutMs: 30_000 });
  await client.connect();
  return client;
}

/** The id the gateway process goes by (`system.info`), the one its cluster membership and leases carry. */
async function processInstanceId(client: GatewayClient): Promise<string> {
  const id = (await client.request("system.info", {})).processInstanceId;
  if (!id) throw new Error("system.info answered without processInstanceId");
  return id;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  if (o.size < 1 || o.size > NAMES.length) throw new RangeError(`size ${o.size}: use 1 to ${NAMES.length}`);
  const token = randomBytes(32).toString("hex");
  const schema: TestSchema = await createTestSchema(o.purpose);
  const proxy = o.viaProxy === false ? undefined : await startPostgresCutProxy(CLUSTER_TEST_POSTGRES_URL);
  const databaseUrl = proxy?.url ?? CLUSTER_TEST_POSTGRES_URL;
  const extraClients = new Set<GatewayClient>();
  // Every process started, also those of an instance whose start failed half-way, so close() ends them all.
  const children = new Set<GatewayChild>();
  const spawnChild = async (options: GatewayChildOptions) => {
    const started = await spawnGatewayChild(options);
    children.add(started);
    return started;
  };
  const instances: ClusterInstance[] = [];
  const stateDirs: string[] = [];

  const createInstance = async (index: number): Promise<ClusterInstance> => {
    const stateDir = await mkdtemp(join(tmpdir(), `openclaw-cluster-${NAMES[index]}-`));
    stateDirs.push(stateDir);
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify(clusterConfig(o, databaseUrl, schema.name)),
    );
    const childOptions = (port: number): GatewayChildOptions => ({
      stateDir,
      token,
      port,
      // OPENCLAW_CLUSTER_E2E_LOG=info (or debug) shows more of each instance's log in a failure message.
      logLevel:
        o.logLevel ?? (process.env.OPENCLAW_CLUSTER_E2E_LOG as GatewayChildOptions["logLevel"]) ?? "warn",
      ...(o.cronCatchUpDelayMs !== undefined ? { cronCatchUpDelayMs: o.cronCatchUpDelayMs } : {}),
    });
    let child = await spawnChild(childOptions(0));
    let client = await operatorClient(child.url, token);
    let instanceId = await processInstanceId(client);
    const instance: ClusterInstance = {
      name: NAMES[index] ?? String(index),
      stateDir,
      port: child.port,
      url: child.url,
      get instanceId() {
        return instanceId;
      },
      get process() {
        return child;
      },
      get client() {
        return client;
      },
      get running() {
        return child.running;
      },
      connect: async () => {
        const extra = await operatorClient(child.url, token);
        extraClients.add(extra);
        return extra;
      },
      kill: async () => {
        await child.kill();
        await client.close();
      },
      stop: async () => {
        await client.close();
        await child.stop();
      },
      restart: async () => {
        if (child.running)
          throw new Error(`instance ${NAMES[index]} is still running: kill or stop it first`);
        child = await spawnChild(childOptions(instance.port));
        client = await operatorClient(child.url, token);
        instanceId = await processInstanceId(client);
      },
    };
    return instance;
  };

  const cluster: Cluster = {
    schema: schema.name,
    token,
    databaseUrl,
    proxy,
    instances,
    byInstanceId: (id) => instances.find((instance) => instance.instanceId === id),
    logs: () =>
      instances
        .map((instance) => `--- ${instance.name} (${instance.url})\n${instance.process.log()}`)
        .join("\n"),
    close: async () => {
      await Promise.all([...extraClients].map((client) => client.close()));
      await Promise.all(instances.map((instance) => instance.client.close()));
      await Promise.all([...children].map((child) => child.stop()));
      await proxy?.close();
      await schema.drop();
      await Promise.all(stateDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
  try {
    if (o.startAllAtOnce) {
      instances.push(...(await Promise.all(Array.from({ length: o.size }, (_, i) => createInstance(i)))));
    } else {
      instances.push(await createInstance(0));
      const rest = await Promise.all(Array.from({ length: o.size - 1 }, (_, i) => createInstance(i + 1)));
      instances.push(...rest);
    }
  } catch (error) {
    await cluster.close().catch(() => undefined);
    throw error;
  }
  return cluster;
}

/** The fake model's reply most cluster tests use: "answer to <the user's last message>", in two chunks. */
export function answerToLastMessage(request: RecordedRequest): FakeReply {
  return { chunks: ["answer to ", lastUserText(request)] };
}

export interface ClusterFileOptions extends Omit<ClusterOptions, "model"> {
  /** The fake model's default reply (default: the fake's own). */
  reply?: Parameters<FakeModelServer["setDefaultReply"]>[0];
}

/** A test file's fake model and cluster, readable in its tests (and hooks registered after `useCluster`). */
export interface ClusterFixture {
  readonly model: FakeModelServer;
  readonly cluster: Cluster;
  /** Instance A. */
  readonly a: ClusterInstance;
  /** Instance B. */
  readonly b: ClusterInstance;
}

/**
 * One cluster for a whole test file: a fake model and the cluster on it, started before the file's tests and closed
 * after them (processes, clients, proxy, schema, state dirs, then the model). `options` may be a function, for what
 * a `beforeAll` registered before `useCluster` starts (e.g. a fake Telegram server).
 */
export function useCluster(options: ClusterFileOptions | (() => ClusterFileOptions)): ClusterFixture {
  let model: FakeModelServer | undefined;
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    const { reply, ...clusterOptions } = typeof options === "function" ? options() : options;
    model = await startFakeModelServer();
    if (reply) model.setDefaultReply(reply);
    cluster = await startCluster({ ...clusterOptions, model });
  });
  afterAll(async () => {
    await cluster?.close();
    await model?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: read it inside a test`);
    return value;
  };
  const instance = (index: number) =>
    started(started(cluster, "the cluster").instances[index], `instance ${NAMES[index]}`);
  return {
    get model() {
      return started(model, "the fake model");
    },
    get cluster() {
      return started(cluster, "the cluster");
    },
    get a() {
      return instance(0);
    },
    get b() {
      return instance(1);
    },
  };
}
