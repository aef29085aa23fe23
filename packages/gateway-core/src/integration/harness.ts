import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HelloOk, HelloOkSchema } from "@openclaw/protocol";
import { createMemoryStorage, createMemoryStorageData } from "@openclaw/sessions";
import { type FakeApi, type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, expect } from "vitest";
import WebSocket from "ws";
import { startGateway } from "../server/gateway-server.js";
import type { GatewayServer, StartGatewayOptions } from "../server/gateway-server-options.js";
import { expectOracle } from "./oracle.js";
import { type CloseInfo, RawClient, WireCallError, type WireError } from "./raw-client.js";

export {
  type CloseInfo,
  callChecked,
  checkMethodParams,
  checkMethodResult,
  RawClient,
  WireCallError,
  type WireError,
  type WireFrame,
} from "./raw-client.js";

export interface ConnectOptions {
  token?: string;
  password?: string;
  scopes?: string[];
  role?: string;
  minProtocol?: number;
  maxProtocol?: number;
  instanceId?: string;
  clientId?: string;
  mode?: string;
  deviceToken?: string;
}

/** `connect` params as a v4 client sends them; they are checked against the oracle's ConnectParams. */
export function connectParams(options: ConnectOptions = {}): Record<string, unknown> {
  const client: Record<string, unknown> = {
    id: options.clientId ?? "gateway-client",
    version: "1.0.0",
    platform: process.platform,
    // A long-lived backend client: it shows up in presence, as the presence tests expect.
    mode: options.mode ?? "backend",
  };
  if (options.instanceId !== undefined) client.instanceId = options.instanceId;
  const params: Record<string, unknown> = {
    minProtocol: options.minProtocol ?? 4,
    maxProtocol: options.maxProtocol ?? 4,
    client,
    role: options.role ?? "operator",
  };
  if (options.scopes !== undefined) params.scopes = options.scopes;
  const auth: Record<string, string> = {};
  if (options.token !== undefined) auth.token = options.token;
  if (options.password !== undefined) auth.password = options.password;
  if (options.deviceToken !== undefined) auth.deviceToken = options.deviceToken;
  if (Object.keys(auth).length > 0) params.auth = auth;
  expectOracle("ConnectParams", params);
  return params;
}

export interface TestGateway {
  server: GatewayServer;
  stateDir: string;
  token: string;
  configPath: string;
}

export interface StartOptions extends Omit<StartGatewayOptions, "stateDir" | "env"> {
  /** Written to `<stateDir>/openclaw.json` before the gateway starts. */
  config?: Record<string, unknown>;
  stateDir?: string;
  /** Pass no auth option, so the credential comes from `config.gateway.auth` (and can be rotated on disk). */
  useConfigAuth?: boolean;
}

function configuredToken(config: Record<string, unknown> | undefined): string {
  const gateway = config?.gateway as { auth?: { token?: unknown } } | undefined;
  const token = gateway?.auth?.token;
  if (typeof token !== "string") throw new Error("useConfigAuth needs config.gateway.auth.token");
  return token;
}

export interface IntegrationEnv {
  makeStateDir(): Promise<string>;
  /** Starts a gateway on 127.0.0.1 port 0 with a fresh state dir and token auth unless told otherwise. */
  start(options?: StartOptions): Promise<TestGateway>;
  /** Opens a socket without doing the handshake. */
  open(url: string, headers?: Record<string, string>): Promise<RawClient>;
  /** Opens a socket, waits for the challenge and completes `connect`; throws if the gateway refuses. */
  connect(
    gateway: TestGateway | string,
    options?: ConnectOptions,
  ): Promise<{ client: RawClient; hello: HelloOk }>;
  /** Registers a cleanup step that runs after the test, in reverse order. */
  defer(step: () => unknown): void;
}

export function configFilePath(stateDir: string): string {
  return join(stateDir, "openclaw.json");
}

export async function writeConfig(stateDir: string, config: Record<string, unknown>): Promise<void> {
  await writeFile(configFilePath(stateDir), `${JSON.stringify(config, null, 2)}\n`, "utf8");
}

export function openSocket(url: string, headers?: Record<string, string>): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const client = new RawClient(ws);
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_request, response) => {
      reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
      ws.terminate();
    });
    ws.once("error", (error) => reject(error));
  });
}

/**
 * Per-file test environment. Every gateway, socket and temp dir it creates is closed or removed after each test,
 * and every frame any of its clients received must have passed the oracle.
 */
export function useIntegrationEnv(): IntegrationEnv {
  let steps: (() => unknown)[] = [];
  let clients: RawClient[] = [];

  afterEach(async () => {
    const violations = clients.flatMap((client) => client.violations);
    const pending = steps.reverse();
    steps = [];
    clients = [];
    for (const step of pending) await step();
    expect(violations, "frames sent by the server must validate against the oracle").toEqual([]);
  });

  const env: IntegrationEnv = {
    defer(step) {
      steps.push(step);
    },
    async makeStateDir() {
      const dir = await mkdtemp(join(tmpdir(), "openclaw-it-"));
      env.defer(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    async start(options = {}) {
      const { config, stateDir: givenStateDir, useConfigAuth, ...startOptions } = options;
      const stateDir = givenStateDir ?? (await env.makeStateDir());
      if (config) await writeConfig(stateDir, config);
      const token = useConfigAuth
        ? configuredToken(config)
        : (startOptions.auth?.token ?? `test-token-${randomUUID()}`);
      const auth = useConfigAuth ? undefined : (startOptions.auth ?? { mode: "token" as const, token });
      const server = await startGateway({
        port: 0,
        validateResults: true,
        ...startOptions,
        ...(auth ? { auth } : {}),
        stateDir,
        env: {},
      });
      env.defer(() => server.close({ reason: "test finished" }));
      return { server, stateDir, token, configPath: configFilePath(stateDir) };
    },
    async open(url, headers) {
      const client = await openSocket(url, headers);
      clients.push(client);
      env.defer(() => client.close());
      return client;
    },
    async connect(gateway, options = {}) {
      const url = typeof gateway === "string" ? gateway : gateway.server.url;
      const token = options.token ?? (typeof gateway === "string" ? undefined : gateway.token);
      const client = await env.open(url);
      await client.waitForEvent("connect.challenge");
      const response = await client.request(
        "connect",
        connectParams({ ...options, token: options.password === undefined ? token : options.token }),
      );
      if (response.ok !== true) {
        throw new WireCallError("connect", response.error ?? { code: "?", message: "no error" });
      }
      expectOracle("HelloOk", response.payload);
      return { client, hello: HelloOkSchema.parse(response.payload) };
    },
  };
  return env;
}

/** The error of a failed handshake: sends `connect` and expects an error response followed by a close. */
export async function expectConnectRefused(
  env: IntegrationEnv,
  url: string,
  options: ConnectOptions,
): Promise<{ error: WireError; close: CloseInfo }> {
  const client = await env.open(url);
  await client.waitForEvent("connect.challenge");
  const response = await client.request("connect", connectParams(options));
  expect(response.ok, `connect should be refused: ${JSON.stringify(response.payload)?.slice(0, 200)}`).toBe(
    false,
  );
  const close = await client.waitForClose();
  return { error: response.error as WireError, close };
}

/** Starts a fake model provider that is closed after the test. */
export async function startFakeModel(env: IntegrationEnv): Promise<FakeModelServer> {
  const fake = await startFakeModelServer();
  env.defer(() => fake.close());
  return fake;
}

export interface FakeModelConfigOptions {
  /** The API the provider is configured with (the fake serves each); default "openai-completions". */
  api?: FakeApi;
  /** The provider's models; the first is every agent's primary. Default: one model, "fast". */
  models?: readonly [{ id: string } & Record<string, unknown>, ...Record<string, unknown>[]];
  /** `agents.defaults.model.fallbacks`. */
  fallbacks?: string[];
  /** More of `agents.defaults`, beside `model`. */
  agentDefaults?: Record<string, unknown>;
}

/** The `models` and `agents` sections of a config whose agents all answer with the fake, as provider "fake". */
export function configWithFakeModel(fake: FakeModelServer, options: FakeModelConfigOptions = {}) {
  const api = options.api ?? "openai-completions";
  const models = options.models ?? [{ id: "fast", name: "Fast fake", contextWindow: 32_000 }];
  const model = {
    primary: `fake/${models[0].id}`,
    ...(options.fallbacks ? { fallbacks: options.fallbacks } : {}),
  };
  return {
    models: { providers: { fake: { baseUrl: fake.baseUrlFor(api), apiKey: "fake-key", api, models } } },
    agents: { defaults: { model, ...options.agentDefaults } },
  };
}

/** Two gateways in this process on one memory store: instances "a" and "b" of one in-process cluster. */
export async function startClusterOfTwo(
  env: IntegrationEnv,
  config: Record<string, unknown> = {},
): Promise<[TestGateway, TestGateway]> {
  const data = createMemoryStorageData();
  const start = (instanceId: string) =>
    env.start({
      config,
      storage: createMemoryStorage({ data }),
      instanceId,
      cluster: true,
      auth: { mode: "token", token: "cluster-test-token" },
    });
  return [await start("a"), await start("b")];
}
