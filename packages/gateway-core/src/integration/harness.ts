import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type HelloOk,
  HelloOkSchema,
  METHOD_CONTRACTS,
  type MethodName,
  type MethodResult,
} from "@openclaw/protocol";
import { afterEach, expect } from "vitest";
import WebSocket from "ws";
import type { z } from "zod";
import { startGateway } from "../server/gateway-server.js";
import type { GatewayServer, StartGatewayOptions } from "../server/gateway-server-options.js";
import { checkServerFrame, expectOracle, hasOracleDefinition, pascalMethodName } from "./oracle.js";

/** The default time a test waits for one frame: long enough for a loaded CI box, short enough to fail fast. */
const FRAME_TIMEOUT_MS = 5_000;

export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown> & { code?: string };
  retryable?: boolean;
  retryAfterMs?: number;
}

/** A frame as received: parsed JSON, kept loose because the tests check the shapes themselves. */
export interface WireFrame {
  type?: string;
  id?: string;
  method?: string;
  event?: string;
  ok?: boolean;
  payload?: unknown;
  error?: WireError;
  seq?: number;
  [key: string]: unknown;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** A failed method call: the server's error shape, so tests can assert `code` and `details.code`. */
export class WireCallError extends Error {
  override readonly name = "WireCallError";
  readonly shape: WireError;
  constructor(method: string, shape: WireError) {
    super(`${method} failed: ${shape.code}/${shape.details?.code ?? "-"}: ${shape.message}`);
    this.shape = shape;
  }
}

interface Waiter {
  predicate: (frame: WireFrame) => boolean;
  resolve: (frame: WireFrame) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A raw WebSocket client: records every frame the server sends, checks each against the oracle schema and lets a
 * test await the first frame matching a predicate. Nothing is hidden, so tests see exactly what is on the wire.
 */
export class RawClient {
  readonly frames: WireFrame[] = [];
  /** Text frames that were not JSON, or frames that break the oracle schema. */
  readonly violations: string[] = [];
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  readonly #waiters = new Set<Waiter>();
  #nextId = 0;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => {
        this.closeInfo = { code, reason: reason.toString("utf8") };
        for (const waiter of this.#waiters) {
          clearTimeout(waiter.timer);
          waiter.reject(
            new Error(
              `socket closed (${code} ${this.closeInfo.reason}) before the awaited frame; frames so far: ${this.describeFrames()}`,
            ),
          );
        }
        this.#waiters.clear();
        resolve(this.closeInfo);
      });
    });
    ws.on("error", () => {
      // A refused or reset socket also emits "close", which is what tests observe.
    });
    ws.on("message", (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.violations.push("server sent a binary frame");
      return;
    }
    let frame: WireFrame;
    try {
      frame = JSON.parse(data.toString("utf8")) as WireFrame;
    } catch {
      this.violations.push(`server sent a frame that is not JSON: ${data.toString("utf8").slice(0, 200)}`);
      return;
    }
    this.frames.push(frame);
    this.violations.push(...checkServerFrame(frame));
    for (const waiter of this.#waiters) {
      if (!waiter.predicate(frame)) continue;
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.resolve(frame);
    }
  }

  describeFrames(): string {
    return JSON.stringify(this.frames.slice(-5)).slice(0, 2_000);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Resolves with the first frame (received from index `since` on) that matches. Rejects when the socket closes
   * first or after `timeoutMs`, listing the last frames so a failure explains itself.
   */
  waitFor(
    predicate: (frame: WireFrame) => boolean,
    options: { since?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<WireFrame> {
    const found = this.frames.slice(options.since ?? 0).find(predicate);
    if (found) return Promise.resolve(found);
    if (this.closeInfo) {
      return Promise.reject(
        new Error(
          `socket already closed (${this.closeInfo.code}) while waiting for ${options.what ?? "a frame"}; frames: ${this.describeFrames()}`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new Error(`timed out waiting for ${options.what ?? "a frame"}; frames: ${this.describeFrames()}`),
          );
        }, options.timeoutMs ?? FRAME_TIMEOUT_MS),
      };
      this.#waiters.add(waiter);
    });
  }

  waitForEvent(event: string, options: { since?: number; timeoutMs?: number } = {}): Promise<WireFrame> {
    return this.waitFor((frame) => frame.type === "event" && frame.event === event, {
      ...options,
      what: `event ${event}`,
    });
  }

  /** Resolves with the close code and reason, failing after `timeoutMs`. */
  async waitForClose(timeoutMs = FRAME_TIMEOUT_MS): Promise<CloseInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  newId(): string {
    this.#nextId += 1;
    return `t${this.#nextId}`;
  }

  /** Sends a v4 request frame and resolves with its response frame (ok or not). */
  async request(method: string, params?: unknown, options: { timeoutMs?: number } = {}): Promise<WireFrame> {
    const id = this.newId();
    const frame: Record<string, unknown> = { type: "req", id, method };
    if (params !== undefined) frame.params = params;
    const response = this.waitFor((candidate) => candidate.type === "res" && candidate.id === id, {
      what: `response to ${method} (${id})`,
      timeoutMs: options.timeoutMs,
    });
    this.send(frame);
    return response;
  }

  /** Sends a request and resolves with its payload; a failed response throws {@link WireCallError}. */
  async call(method: string, params?: unknown): Promise<unknown> {
    const response = await this.request(method, params);
    if (response.ok !== true)
      throw new WireCallError(method, response.error ?? { code: "?", message: "no error" });
    return response.payload;
  }

  /** Sends a request that must fail and resolves with its error shape. */
  async callError(method: string, params?: unknown): Promise<WireError> {
    const response = await this.request(method, params);
    expect(
      response.ok,
      `${method} was expected to fail but returned ${JSON.stringify(response.payload)}`,
    ).toBe(false);
    expect(response.error).toBeDefined();
    return response.error as WireError;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.terminate();
  }
}

/**
 * Calls a method and checks both sides against the oracle: the params must validate as `<Pascal>Params` and the
 * result as `<Pascal>Result` (or the oracle's specific shape) wherever the oracle defines one. The result is then
 * read through our own contract, which gives the test a typed value.
 */
export async function callChecked<M extends MethodName>(
  client: RawClient,
  method: M,
  params?: z.input<(typeof METHOD_CONTRACTS)[M]["params"]>,
): Promise<MethodResult<M>> {
  checkMethodParams(method, params);
  const payload = await client.call(method, params);
  checkMethodResult(method, payload);
  return METHOD_CONTRACTS[method].result.parse(payload) as MethodResult<M>;
}

/** Validates params as the oracle's `<Pascal>Params` when it has one (health, status, system-presence have none). */
export function checkMethodParams(method: string, params: unknown): void {
  const name = `${pascalMethodName(method)}Params`;
  if (hasOracleDefinition(name)) expectOracle(name, params ?? {});
}

/** Validates one method's result against the oracle definition that describes it. */
export function checkMethodResult(method: string, payload: unknown): void {
  const pascal = pascalMethodName(method);
  switch (method) {
    case "health":
      expectOracle("Snapshot/properties/health", payload);
      return;
    case "system-presence":
      expect(Array.isArray(payload), "system-presence returns an array").toBe(true);
      for (const entry of payload as unknown[]) expectOracle("PresenceEntry", entry);
      return;
    case "config.schema":
      expectOracle("ConfigSchemaResponse", payload);
      return;
    case "sessions.list": {
      const sessions = (payload as { sessions?: unknown }).sessions;
      expect(Array.isArray(sessions), "sessions.list returns a sessions array").toBe(true);
      for (const row of sessions as unknown[]) expectOracle("SessionRow", row);
      return;
    }
    case "sessions.patch":
    case "sessions.reset":
      expectOracle("SessionRow", (payload as { entry?: unknown }).entry);
      return;
    default:
      if (hasOracleDefinition(`${pascal}Result`)) expectOracle(`${pascal}Result`, payload);
  }
}

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
