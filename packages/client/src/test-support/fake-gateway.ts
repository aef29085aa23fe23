import type { AddressInfo } from "node:net";
import { type HelloOk, HelloOkSchema, type RequestFrame } from "@openclaw/protocol";
import { type WebSocket, WebSocketServer } from "ws";

export interface FakeGatewayOptions {
  /** When set, `connect` must carry this token or is refused with AUTH_TOKEN_MISMATCH. */
  token?: string;
  tickIntervalMs?: number;
  /** Skip `connect.challenge`, to test the client's connect timeout. */
  silent?: boolean;
}

/** One client socket as the fake gateway sees it. */
export class FakeConnection {
  readonly socket: WebSocket;
  readonly requestPath: string;
  readonly connectFrame: Promise<RequestFrame>;
  readonly #requests: RequestFrame[] = [];
  readonly #waiters: ((frame: RequestFrame) => void)[] = [];
  readonly closed: Promise<void>;

  constructor(socket: WebSocket, requestPath: string, connectFrame: Promise<RequestFrame>) {
    this.socket = socket;
    this.requestPath = requestPath;
    this.connectFrame = connectFrame;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  /** The next request after the handshake. */
  nextRequest(): Promise<RequestFrame> {
    const queued = this.#requests.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  pushRequest(frame: RequestFrame): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(frame);
    else this.#requests.push(frame);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  respond(id: string, payload: unknown): void {
    this.send({ type: "res", id, ok: true, payload });
  }

  event(event: string, payload: unknown): void {
    this.send({ type: "event", event, payload });
  }
}

export function helloOk(connId: string, tickIntervalMs: number, scopes: string[]): HelloOk {
  return HelloOkSchema.parse({
    type: "hello-ok",
    protocol: 4,
    server: { version: "fake-1.0.0", connId },
    features: { methods: ["health", "sessions.list"], events: ["tick", "presence"] },
    snapshot: {
      presence: [],
      health: {
        ok: true,
        ts: 1_700_000_000_000,
        durationMs: 0,
        channels: {},
        channelOrder: [],
        channelLabels: {},
        sessions: { path: "/state/sessions", count: 0, recent: [] },
      },
      stateVersion: { presence: 0, health: 0 },
      uptimeMs: 0,
    },
    auth: { role: "operator", scopes },
    policy: { maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs },
  });
}

/**
 * A minimal gateway on 127.0.0.1 with an ephemeral port: challenge, connect (token check), hello-ok, then hands
 * every request to the test through {@link FakeConnection.nextRequest}.
 */
export class FakeGateway {
  readonly url: string;
  readonly #server: WebSocketServer;
  readonly #options: FakeGatewayOptions;
  readonly #connections: FakeConnection[] = [];
  readonly #waiters: ((connection: FakeConnection) => void)[] = [];
  #accepted = 0;

  private constructor(server: WebSocketServer, options: FakeGatewayOptions) {
    this.#server = server;
    this.#options = options;
    const { port } = server.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}`;
    server.on("connection", (socket, request) => this.#accept(socket, request.url ?? ""));
  }

  static async start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    return new FakeGateway(server, options);
  }

  /** Connections in the order they were accepted; `index` 0 is the first. */
  connection(index: number): Promise<FakeConnection> {
    const existing = this.#connections[index];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const wait = (connection: FakeConnection): void => {
        if (this.#connections[index] === connection) resolve(connection);
        else this.#waiters.push(wait);
      };
      this.#waiters.push(wait);
    });
  }

  setToken(token: string | undefined): void {
    this.#options.token = token;
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  #accept(socket: WebSocket, requestPath: string): void {
    this.#accepted += 1;
    const connId = `conn-${this.#accepted}`;
    let resolveConnect: (frame: RequestFrame) => void = () => {};
    const connectFrame = new Promise<RequestFrame>((resolve) => {
      resolveConnect = resolve;
    });
    const connection = new FakeConnection(socket, requestPath, connectFrame);
    let helloSent = false;
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as RequestFrame;
      if (helloSent) {
        connection.pushRequest(frame);
        return;
      }
      resolveConnect(frame);
      const params = frame.params as { auth?: { token?: string }; scopes?: string[] };
      const expected = this.#options.token;
      if (expected !== undefined && params.auth?.token !== expected) {
        socket.send(
          JSON.stringify({
            type: "res",
            id: frame.id,
            ok: false,
            error: {
              code: "INVALID_REQUEST",
              message: "unauthorized: gateway token mismatch",
              details: { code: "AUTH_TOKEN_MISMATCH" },
            },
          }),
        );
        socket.close(1008, "unauthorized");
        return;
      }
      helloSent = true;
      const hello = helloOk(
        connId,
        this.#options.tickIntervalMs ?? 30_000,
        params.scopes ?? ["operator.read"],
      );
      socket.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: hello }));
    });
    this.#connections.push(connection);
    for (const waiter of this.#waiters.splice(0)) waiter(connection);
    if (!this.#options.silent) {
      socket.send(
        JSON.stringify({
          type: "event",
          event: "connect.challenge",
          payload: { nonce: connId, ts: Date.now() },
        }),
      );
    }
  }
}
