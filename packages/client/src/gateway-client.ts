import {
  ConnectChallengeSchema,
  type EventFrame,
  FrameSchema,
  GatewayError,
  type HelloOk,
  type MethodName,
  type MethodResult,
} from "@openclaw/protocol";
import { type GatewayClientInfo, resolveClientInfo } from "./default-client-info.js";
import { GatewayClientError } from "./gateway-client-error.js";
import {
  CLIENT_EVENTS,
  type GatewayClientOptions,
  type GatewayCloseInfo,
  type GatewayEventHandler,
  type KnownMethodArgs,
  type ReconnectedEvent,
  type ReconnectFailedEvent,
  type ReconnectingEvent,
  type RequestOptions,
  type UnknownMethodName,
} from "./gateway-client-options.js";
import {
  connectParams,
  type Link,
  openedLink,
  parseHello,
  rejectPending,
  sendRequest,
  settleResponse,
} from "./gateway-link.js";
import { type ReconnectPolicy, reconnectDelayMs, resolveReconnectPolicy } from "./reconnect-backoff.js";
import { WEBSOCKET_OPEN, type WebSocketConstructor } from "./websocket-like.js";

export {
  CLIENT_EVENTS,
  type DeviceSigner,
  type DeviceSignInput,
  type GatewayClientOptions,
  type GatewayCloseInfo,
  type GatewayEventHandler,
  type ReconnectedEvent,
  type ReconnectFailedEvent,
  type ReconnectingEvent,
  type RequestOptions,
} from "./gateway-client-options.js";

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** Close code the client uses when it gives up on a silent link (4000-4999 is free for applications). */
const TICK_TIMEOUT_CLOSE_CODE = 4000;
/** `close()` stops waiting for the close handshake of an unresponsive server after this long. */
const CLOSE_WAIT_MS = 5_000;

/**
 * A WebSocket client for the OpenClaw Gateway protocol v4: handshake, correlated requests, events and reconnect.
 * Server errors reject with `GatewayError`; client-side failures with `GatewayClientError`.
 */
export class GatewayClient {
  readonly #url: string;
  readonly #options: GatewayClientOptions;
  readonly #clientInfo: GatewayClientInfo;
  readonly #WebSocket: WebSocketConstructor;
  readonly #requestTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #reconnectPolicy: ReconnectPolicy | undefined;
  readonly #listeners = new Map<string, Set<GatewayEventHandler>>();
  readonly #closeListeners = new Set<(info: GatewayCloseInfo) => void>();
  #link: Link | undefined;
  #connecting: Promise<HelloOk> | undefined;
  #abortHandshake: ((error: Error) => void) | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  #nextRequestId = 0;

  constructor(options: GatewayClientOptions) {
    if (!/^wss?:\/\//i.test(options.url)) {
      throw new GatewayClientError(
        "INVALID_OPTIONS",
        `url must start with ws:// or wss://, got ${JSON.stringify(options.url)}: use e.g. ws://127.0.0.1:18789`,
      );
    }
    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
    if (WebSocketClass === undefined) {
      throw new GatewayClientError(
        "INVALID_OPTIONS",
        "no global WebSocket in this runtime: use Node >= 22 or pass options.WebSocket (e.g. from the ws package)",
      );
    }
    this.#url = options.url;
    this.#options = options;
    this.#WebSocket = WebSocketClass;
    this.#clientInfo = resolveClientInfo(options.client);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#reconnectPolicy = resolveReconnectPolicy(options.reconnect);
  }

  /** The `hello-ok` payload of the current connection; undefined while not connected. */
  get hello(): HelloOk | undefined {
    return this.#link?.hello;
  }

  get connected(): boolean {
    return this.#link?.hello !== undefined && this.#link.socket.readyState === WEBSOCKET_OPEN;
  }

  /**
   * Opens the socket, answers `connect.challenge` with `connect` and resolves with `hello-ok`. Rejects with
   * `GatewayError` when the gateway refuses (e.g. `details.code` `AUTH_TOKEN_MISMATCH`) or `GatewayClientError`
   * (`TIMEOUT`, `CONNECT_FAILED`, `PROTOCOL`, `CLOSED`). Calling it while connected returns the current hello.
   */
  connect(): Promise<HelloOk> {
    this.#closing = false;
    if (this.#link?.hello) return Promise.resolve(this.#link.hello);
    if (this.#connecting) return this.#connecting;
    this.#cancelReconnect();
    return this.#establish();
  }

  request<M extends MethodName>(method: M, ...args: KnownMethodArgs<M>): Promise<MethodResult<M>>;
  request<M extends string>(
    method: UnknownMethodName<M>,
    params?: unknown,
    options?: RequestOptions,
  ): Promise<unknown>;
  request(method: string, params?: unknown, options: RequestOptions = {}): Promise<unknown> {
    const link = this.#link;
    if (!link?.hello) {
      const hint = this.#reconnectTimer || this.#connecting ? " (a reconnect is in progress)" : "";
      return Promise.reject(
        new GatewayClientError(
          "NOT_CONNECTED",
          `cannot send "${method}": the client is not connected${hint}; await connect() first`,
        ),
      );
    }
    return this.#send(link, method, params, options.timeoutMs ?? this.#requestTimeoutMs, options.signal);
  }

  /** Subscribes to a gateway event (or `"*"` for all, including {@link CLIENT_EVENTS}); returns the unsubscribe. */
  on(event: string, handler: GatewayEventHandler): () => void {
    let handlers = this.#listeners.get(event);
    if (!handlers) {
      handlers = new Set();
      this.#listeners.set(event, handlers);
    }
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
    };
  }

  /** Called each time an established connection ends, whether or not a reconnect follows. */
  onClose(handler: (info: GatewayCloseInfo) => void): () => void {
    this.#closeListeners.add(handler);
    return () => {
      this.#closeListeners.delete(handler);
    };
  }

  /** Closes the connection, stops reconnecting and rejects every pending request with `CLOSED`. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#cancelReconnect();
    this.#abortHandshake?.(new GatewayClientError("CLOSED", "close() was called during the handshake"));
    const link = this.#link;
    if (!link) return;
    const socketClosed = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      link.socket.addEventListener("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.#linkClosed(link, 1000, "client closed");
    link.socket.close(1000, "client closed");
    await socketClosed;
  }

  #establish(): Promise<HelloOk> {
    const attempt = this.#openLink().then((link) => link.hello as HelloOk);
    const connecting = attempt.finally(() => {
      if (this.#connecting === connecting) this.#connecting = undefined;
    });
    this.#connecting = connecting;
    return connecting;
  }

  #openLink(): Promise<Link> {
    return new Promise<Link>((resolve, reject) => {
      const socket = new this.#WebSocket(this.#url);
      const link = openedLink(socket);
      let settled = false;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        this.#abortHandshake = undefined;
        return true;
      };
      const fail = (error: Error): void => {
        if (!finish()) return;
        rejectPending(link, error);
        socket.close();
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new GatewayClientError(
              "TIMEOUT",
              `no hello-ok from ${this.#url} within ${this.#connectTimeoutMs} ms: check that the URL points at an ` +
                "OpenClaw gateway, or raise connectTimeoutMs",
            ),
          ),
        this.#connectTimeoutMs,
      );
      this.#abortHandshake = fail;

      link.onChallenge = (payload) => {
        link.onChallenge = undefined;
        const challenge = ConnectChallengeSchema.safeParse(payload);
        if (!challenge.success) {
          fail(
            new GatewayClientError(
              "PROTOCOL",
              "the gateway sent a malformed connect.challenge (needs nonce and ts)",
            ),
          );
          return;
        }
        this.#send(
          link,
          "connect",
          connectParams(this.#options, this.#clientInfo, challenge.data),
          Number.POSITIVE_INFINITY,
          undefined,
        ).then(
          (payload) => {
            const hello = parseHello(payload);
            if (hello instanceof Error) {
              fail(hello);
              return;
            }
            if (!finish()) return;
            // Adopt the link before any await, so a close right after hello-ok is not missed.
            link.hello = hello;
            this.#link = link;
            this.#startTickWatch(link);
            resolve(link);
          },
          (error: Error) => fail(error),
        );
      };
      socket.addEventListener("message", (event) => this.#onMessage(link, event.data));
      socket.addEventListener("close", (event) => {
        if (settled) {
          this.#linkClosed(link, event.code, event.reason);
          return;
        }
        const reason = event.reason ? `: ${event.reason}` : "";
        fail(
          new GatewayClientError(
            "CONNECT_FAILED",
            `connection to ${this.#url} closed (code ${event.code}${reason}) before the handshake finished: ` +
              "check the URL and that the gateway is running",
          ),
        );
      });
      // A failed socket always fires `close` next, which reports the failure; nothing to add here.
      socket.addEventListener("error", () => {});
    });
  }

  /** Malformed frames are dropped: a misbehaving server must not crash its client. */
  #onMessage(link: Link, data: unknown): void {
    if (typeof data !== "string") return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = FrameSchema.safeParse(json);
    if (!parsed.success) return;
    link.lastFrameAt = Date.now();
    const frame = parsed.data;
    if (frame.type === "res") {
      settleResponse(link, frame);
      return;
    }
    if (frame.type !== "event") return;
    if (link.hello) {
      this.#emit(frame.event, frame.payload, frame);
      return;
    }
    if (frame.event === "connect.challenge") link.onChallenge?.(frame.payload);
  }

  #emit(event: string, payload: unknown, frame: EventFrame): void {
    const handlers = [...(this.#listeners.get(event) ?? []), ...(this.#listeners.get("*") ?? [])];
    for (const handler of handlers) {
      try {
        handler(payload, frame);
      } catch (error) {
        // Like EventTarget: one failing listener neither stops the others nor the frame loop, and is not hidden.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #send(
    link: Link,
    method: string,
    params: unknown,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    this.#nextRequestId += 1;
    return sendRequest(link, `r${this.#nextRequestId}`, method, params, timeoutMs, signal);
  }

  #emitLocal(event: string, payload: unknown): void {
    this.#emit(event, payload, { type: "event", event, payload });
  }

  #startTickWatch(link: Link): void {
    const hello = link.hello;
    if (this.#options.tickWatch === false || hello === undefined) return;
    const interval = hello.policy.tickIntervalMs;
    link.tickWatch = setInterval(() => {
      if (Date.now() - link.lastFrameAt <= interval * 2) return;
      // A dead link may never complete the close handshake, so the client declares it closed right away.
      this.#linkClosed(link, TICK_TIMEOUT_CLOSE_CODE, "tick timeout");
      link.socket.close(TICK_TIMEOUT_CLOSE_CODE, "tick timeout");
    }, interval);
  }

  #linkClosed(link: Link, code: number, reason: string): void {
    if (this.#link !== link) return;
    this.#link = undefined;
    clearInterval(link.tickWatch);
    rejectPending(
      link,
      new GatewayClientError("CLOSED", `the connection closed (code ${code}) before a response arrived`),
    );
    const willReconnect = !this.#closing && this.#reconnectPolicy !== undefined;
    for (const handler of [...this.#closeListeners]) handler({ code, reason, willReconnect });
    if (willReconnect) this.#scheduleReconnect(1, 0);
  }

  #scheduleReconnect(attempt: number, minDelayMs: number): void {
    const policy = this.#reconnectPolicy;
    if (policy === undefined || this.#closing) return;
    const delayMs = Math.max(minDelayMs, reconnectDelayMs(policy, attempt));
    this.#emitLocal(CLIENT_EVENTS.reconnecting, { attempt, delayMs } satisfies ReconnectingEvent);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#reconnect(policy, attempt);
    }, delayMs);
  }

  async #reconnect(policy: ReconnectPolicy, attempt: number): Promise<void> {
    try {
      const hello = await this.#establish();
      this.#emitLocal(CLIENT_EVENTS.reconnected, { attempt, hello } satisfies ReconnectedEvent);
    } catch (caught) {
      if (this.#closing) return;
      const error = caught instanceof Error ? caught : new Error(String(caught));
      // A refusal the server does not call retryable (e.g. a revoked token) will not heal by retrying.
      const refused = error instanceof GatewayError && error.retryable !== true;
      if (refused || attempt >= policy.maxAttempts) {
        this.#emitLocal(CLIENT_EVENTS.reconnectFailed, {
          attempts: attempt,
          error,
        } satisfies ReconnectFailedEvent);
        return;
      }
      const retryAfterMs = error instanceof GatewayError ? (error.retryAfterMs ?? 0) : 0;
      this.#scheduleReconnect(attempt + 1, retryAfterMs);
    }
  }

  #cancelReconnect(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }
}
