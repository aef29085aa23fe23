import { randomUUID } from "node:crypto";
import {
  type ClientInfo,
  ErrorDetailCodes,
  type ErrorShape,
  GatewayError,
  grantScopes,
  type HelloOk,
  type InboundRequest,
  NODE_SCOPE,
  PRE_AUTH_MAX_PAYLOAD,
  parseInboundRequest,
} from "@openclaw/protocol";
import type { WebSocket } from "ws";
import type { AttemptReservation } from "../auth/auth-rate-limiter.js";
import { rateLimitedError } from "../auth/verify-credential.js";
import { emitRpcRequest, handshakeOutcomeOf } from "../diagnostics/connection-diagnostics.js";
import { deviceGrant } from "../nodes/connect-device.js";
import { finalAnswerOf } from "../runtime/final-answer.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodRegistry } from "../runtime/method-registry.js";
import { verifyConnect } from "./connect-authentication.js";
import { admitNode, bindDevice, buildHelloOk, toErrorShape } from "./connect-request.js";
import type { ConnectionPolicy } from "./connection-policy.js";
import { raiseFrameLimit } from "./preauth-admission.js";

export interface ConnectionHost {
  runtime: GatewayRuntime;
  methods: MethodRegistry;
  policy: ConnectionPolicy;
  events: readonly string[];
  /** Called once the credential is validated, before `hello-ok` is built (so the snapshot includes this client). */
  onAuthenticated(connection: GatewayConnection): void;
  /** Called right after `hello-ok` was sent: events to others (and to this client) may flow from here on. */
  onReady(connection: GatewayConnection): void;
  onClosed(connection: GatewayConnection): void;
  /** Called once when the socket stops being unauthenticated: it authenticated, or it closed before that. */
  onPreAuthEnd?(connection: GatewayConnection): void;
}

const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;
/**
 * How long a closed socket may take to answer the closing handshake before it is destroyed. `ws` would wait 30 s;
 * an unauthenticated client that ignores the close frame must not hold memory that long.
 */
const CLOSE_GRACE_PRE_AUTH_MS = 500;
const CLOSE_GRACE_MS = 5_000;

type ConnectionState = "handshake" | "connecting" | "open" | "closed";

/** One WebSocket client: handshake, authentication, then request dispatch and event delivery. */
export class GatewayConnection {
  readonly connId = randomUUID();
  readonly clientAddress: string;
  readonly connectedAt = Date.now();
  scopes: readonly string[] = [];
  role: "operator" | "node" = "operator";
  client: ClientInfo | undefined;
  /** Set once a node is admitted: the id and surface it serves `node.invoke` under. */
  node: { nodeId: string; caps: string[]; commands: string[] } | undefined;
  /** The nonce a device signs in `connect` (OpenClaw's signed challenge). */
  readonly #challengeNonce = randomUUID();
  #state: ConnectionState = "handshake";
  #authenticated = false;
  #preAuthEnded = false;
  #handshakeTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  readonly #ws: WebSocket;
  readonly #host: ConnectionHost;
  /** Aborted when the socket closes: handlers still running learn their answer is no longer wanted. */
  readonly #closed = new AbortController();

  constructor(ws: WebSocket, clientAddress: string, host: ConnectionHost) {
    this.#ws = ws;
    this.#host = host;
    this.clientAddress = clientAddress;
    ws.on("message", (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.on("close", () => this.#onClose());
    ws.on("error", (error: Error & { code?: string }) => {
      // Before authentication a protocol error (an oversized or malformed frame) counts as a failed attempt.
      if (!this.#authenticated) {
        host.runtime.rateLimiter.recordFailure(clientAddress);
        host.runtime.logger.debug("unauthenticated socket dropped", {
          connId: this.connId,
          address: clientAddress,
          error: error.code ?? error.message,
        });
      }
      this.terminate();
    });
    this.#handshakeTimer = setTimeout(() => {
      this.#host.runtime.logger.debug("handshake timed out", { connId: this.connId, address: clientAddress });
      this.close(CLOSE_POLICY, "handshake timeout");
    }, host.policy.handshakeTimeoutMs);
    this.#handshakeTimer.unref();
    this.sendEvent("connect.challenge", { nonce: this.#challengeNonce, ts: Date.now() });
  }

  get isOpen(): boolean {
    return this.#state === "open";
  }

  /**
   * Sends one frame unless the client is not reading: once more than `maxBufferedBytes` of earlier frames are
   * still unsent the connection is dropped, so a slow consumer can never grow the gateway's memory without bound.
   */
  sendText(text: string): void {
    if (this.#state === "closed") return;
    if (this.#ws.bufferedAmount > this.#host.policy.maxBufferedBytes) {
      this.#host.runtime.logger.warn("closing slow consumer", {
        connId: this.connId,
        bufferedBytes: this.#ws.bufferedAmount,
      });
      this.terminate();
      return;
    }
    this.#ws.send(text);
  }

  sendEvent(event: string, payload: unknown): void {
    this.sendBroadcast(
      `{"type":"event","event":${JSON.stringify(event)},"payload":${JSON.stringify(payload)}`,
    );
  }

  #eventSeq = 0;

  /**
   * Sends an event frame whose text (without its closing brace) was serialised once for every recipient; each
   * connection appends its own `seq`, so sequence numbers stay gap-free per socket.
   */
  sendBroadcast(frameWithoutClosingBrace: string): void {
    this.#eventSeq += 1;
    this.sendText(`${frameWithoutClosingBrace},"seq":${this.#eventSeq}}`);
  }

  /** Starts the closing handshake; a client that does not answer it within a short grace is dropped. */
  close(code = 1000, reason = ""): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    clearTimeout(this.#handshakeTimer);
    this.#ws.close(code, reason);
    this.#closeTimer = setTimeout(
      () => this.#ws.terminate(),
      this.#authenticated ? CLOSE_GRACE_MS : CLOSE_GRACE_PRE_AUTH_MS,
    );
    this.#closeTimer.unref();
  }

  /** Drops the socket without a closing handshake (for clients that do not answer one). */
  terminate(): void {
    this.#state = "closed";
    clearTimeout(this.#handshakeTimer);
    this.#ws.terminate();
  }

  #onClose(): void {
    if (this.#authenticated)
      this.#host.runtime.diagnostics?.emit({ type: "connection.close", role: this.role });
    this.#state = "closed";
    this.#closed.abort();
    clearTimeout(this.#handshakeTimer);
    clearTimeout(this.#closeTimer);
    this.#endPreAuth();
    this.#host.onClosed(this);
  }

  #endPreAuth(): void {
    if (this.#preAuthEnded) return;
    this.#preAuthEnded = true;
    this.#host.onPreAuthEnd?.(this);
  }

  /**
   * Answers a request. A simplified (quickstart) request without an id gets the same response shape with no id;
   * it carries the method instead so the client can still tell answers apart.
   */
  #respond(
    request: InboundRequest,
    result: { ok: true; payload: unknown } | { ok: false; error: ErrorShape },
  ): void {
    const frame: Record<string, unknown> = { type: "res" };
    if (request.id !== undefined) frame.id = request.id;
    else if (request.method) frame.method = request.method;
    Object.assign(frame, result);
    this.sendText(JSON.stringify(frame));
  }

  #respondError(request: InboundRequest, error: unknown): void {
    this.#respond(request, { ok: false, error: toErrorShape(error, this.#host.runtime) });
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#state === "closed") return;
    if (this.#state !== "open") {
      this.#onPreAuthFrame(data, isBinary);
      return;
    }
    const request = this.#parseFrame(data, isBinary);
    if (request) void this.#handleRequest(request);
  }

  /** Parses one frame; a malformed one is answered here (unless `quiet`) and yields undefined. */
  #parseFrame(data: Buffer, isBinary: boolean, quiet = false): InboundRequest | undefined {
    try {
      if (isBinary) {
        throw new GatewayError("INVALID_REQUEST", "binary frames are not supported: send JSON text frames", {
          details: { code: ErrorDetailCodes.INVALID_FRAME },
        });
      }
      return parseInboundRequest(data.toString("utf8"));
    } catch (error) {
      if (quiet) return undefined;
      const id = error instanceof GatewayError ? (error.details?.id as string | undefined) : undefined;
      this.#respondError({ id, method: "", params: undefined, simplified: false }, error);
      return undefined;
    }
  }

  /**
   * Before `hello-ok` every frame is an authentication attempt, reserved in the limiter synchronously on arrival
   * (so no burst can overtake the count while earlier attempts await their credential check); a malformed frame
   * counts like a wrong token.
   */
  #onPreAuthFrame(data: Buffer, isBinary: boolean): void {
    const runtime = this.#host.runtime;
    const anonymous: InboundRequest = { id: undefined, method: "", params: undefined, simplified: false };
    if (this.#state === "connecting") {
      this.#respondError(
        anonymous,
        new GatewayError("INVALID_REQUEST", "wait for the connect response before sending requests", {
          details: { code: ErrorDetailCodes.CONNECT_REQUIRED },
        }),
      );
      return;
    }
    if (data.length > PRE_AUTH_MAX_PAYLOAD) {
      runtime.rateLimiter.recordFailure(this.clientAddress);
      this.close(CLOSE_TOO_BIG, "frame exceeds the 64 KiB pre-authentication limit");
      return;
    }
    const attempt = runtime.rateLimiter.attempt(this.clientAddress);
    if (!attempt.allowed) {
      runtime.diagnostics?.emit({ type: "handshake", outcome: "locked_out" });
      // Parsed only to address the reply to the caller's request id.
      this.#respondError(
        this.#parseFrame(data, isBinary, true) ?? anonymous,
        rateLimitedError(attempt.retryAfterMs),
      );
      this.close(CLOSE_POLICY, "too many failed attempts");
      return;
    }
    const request = this.#parseFrame(data, isBinary);
    if (!request) {
      attempt.fail();
      this.close(CLOSE_POLICY, "invalid handshake frame");
      return;
    }
    if (request.method !== "connect" && request.method !== "auth") {
      attempt.fail();
      this.#respondError(
        request,
        new GatewayError(
          "INVALID_REQUEST",
          "authenticate first: the first request must be `connect` (or `auth`)",
          {
            details: { code: ErrorDetailCodes.AUTH_REQUIRED },
          },
        ),
      );
      this.close(CLOSE_POLICY, "connect required");
      return;
    }
    this.#state = "connecting";
    void this.#handleHandshake(request, attempt);
  }

  async #handleRequest(request: InboundRequest): Promise<void> {
    if (request.method === "connect" || request.method === "auth") {
      this.#respondError(
        request,
        new GatewayError("INVALID_REQUEST", "this connection is already authenticated", {
          details: { code: ErrorDetailCodes.ALREADY_CONNECTED },
        }),
      );
      return;
    }
    const diagnostics = this.#host.runtime.diagnostics;
    const startedAt = diagnostics?.wants("rpc.request") ? Date.now() : 0;
    const methods = this.#host.methods;
    try {
      const payload = await methods.dispatch(request.method, request.params, {
        runtime: this.#host.runtime,
        connId: this.connId,
        scopes: this.scopes,
        clientAddress: this.clientAddress,
        signal: this.#closed.signal,
      });
      this.#respond(request, { ok: true, payload });
      if (startedAt) emitRpcRequest(diagnostics, methods, request.method, startedAt, undefined);
      finalAnswerOf(payload)?.then(
        (final) => this.#respond(request, { ok: true, payload: final }),
        (error: unknown) => this.#respondError(request, error),
      );
    } catch (error) {
      const shape = toErrorShape(error, this.#host.runtime);
      this.#respond(request, { ok: false, error: shape });
      if (startedAt) emitRpcRequest(diagnostics, methods, request.method, startedAt, shape.code);
    }
  }

  async #handleHandshake(request: InboundRequest, attempt: AttemptReservation): Promise<void> {
    try {
      const hello = await this.#authenticate(request, attempt);
      if (this.#state !== "connecting") return;
      this.#respond(request, { ok: true, payload: hello });
      this.#state = "open";
      this.#host.runtime.diagnostics?.emit({ type: "handshake", outcome: "ok", role: this.role });
      this.#host.onReady(this);
    } catch (error) {
      this.#host.runtime.diagnostics?.emit({ type: "handshake", outcome: handshakeOutcomeOf(error) });
      this.#respondError(request, error);
      this.close(CLOSE_POLICY, "connect failed");
    }
  }

  async #authenticate(request: InboundRequest, attempt: AttemptReservation): Promise<HelloOk> {
    const runtime = this.#host.runtime;
    const { connect, role, credential, deviceAuth } = await verifyConnect(runtime, request, attempt, {
      connId: this.connId,
      clientAddress: this.clientAddress,
      nonce: this.#challengeNonce,
    });
    clearTimeout(this.#handshakeTimer);
    // A node gets no operator scopes at all: it may only connect once an operator approved its surface.
    if (role === "node") this.node = admitNode(runtime, connect, this.clientAddress);
    this.#authenticated = true;
    if (!raiseFrameLimit(this.#ws, this.#host.policy.maxPayload)) {
      runtime.logger.warn("cannot raise this socket's frame limit past 64 KiB (unexpected ws internals)", {
        connId: this.connId,
      });
    }
    this.#endPreAuth();
    this.role = role;
    runtime.diagnostics?.emit({ type: "connection.open", role });
    this.scopes =
      role === "node"
        ? [NODE_SCOPE]
        : grantScopes(connect.scopes, deviceGrant(deviceAuth, runtime.credentialScopes()));
    this.client = connect.client;
    const deviceToken = bindDevice(runtime, this, connect, deviceAuth, role);
    this.#host.onAuthenticated(this);
    const hello = await buildHelloOk(runtime, {
      connId: this.connId,
      methods: this.#host.methods.methodNames(),
      events: this.#host.events,
      authMode: credential.mode,
      role,
      // A node holds only the internal node scope; like OpenClaw it is told it has no operator scopes.
      scopes: role === "node" ? [] : this.scopes,
      policy: this.#host.policy,
    });
    if (deviceToken) hello.auth.deviceToken = deviceToken;
    return hello;
  }
}

export { toErrorShape } from "./connect-request.js";
