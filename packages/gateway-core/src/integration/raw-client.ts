import { METHOD_CONTRACTS, type MethodName, type MethodResult } from "@openclaw/protocol";
import { expect } from "vitest";
import WebSocket from "ws";
import type { z } from "zod";
import {
  checkServerFrame,
  expectOracle,
  expectRecordedShape,
  hasOracleDefinition,
  hasRecordedShape,
  pascalMethodName,
  releaseParamsErrors,
} from "./oracle.js";

/**
 * The default time a test waits for one frame (a passing wait resolves on the frame, so this only bounds a failure):
 * long enough for a loaded CI box (5 s was not, at a load average of 11: issue 17), below the 60 s test budget.
 */
const FRAME_TIMEOUT_MS = 30_000;

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
  const release = releaseParamsErrors(method, params ?? {});
  if (release !== undefined) {
    expect(release, `OpenClaw 2026.9.6 rejects ${method} params ${JSON.stringify(params)}`).toEqual([]);
    return;
  }
  const name = `${pascalMethodName(method)}Params`;
  if (hasOracleDefinition(name)) expectOracle(name, params ?? {});
}

/**
 * Validates one method's result against the oracle definition that describes it, and against the shape OpenClaw
 * 2026.9.6 answers with where the published schema has no result definition (oracle-recorded-shapes.ts).
 */
export function checkMethodResult(method: string, payload: unknown): void {
  if (hasRecordedShape(method)) expectRecordedShape(method, payload);
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
