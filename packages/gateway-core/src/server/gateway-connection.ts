import { randomUUID } from "node:crypto";
import {
  AuthAliasParamsSchema,
  type ClientInfo,
  ConnectParamsSchema,
  describeZodIssues,
  ErrorDetailCodes,
  type ErrorShape,
  GatewayError,
  grantScopes,
  type HelloOk,
  type InboundRequest,
  PRE_AUTH_MAX_PAYLOAD,
  PROTOCOL_VERSION,
  parseInboundRequest,
} from "@openclaw/protocol";
import { buildMainSessionKey } from "@openclaw/sessions";
import type { WebSocket } from "ws";
import { rateLimitedError, verifyCredential } from "../auth/verify-credential.js";
import { defaultAgentId } from "../methods/agents-methods.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { MethodRegistry } from "./method-registry.js";

export interface ConnectionPolicy {
  maxPayload: number;
  maxBufferedBytes: number;
  tickIntervalMs: number;
  handshakeTimeoutMs: number;
}

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
}

const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;

type ConnectionState = "handshake" | "connecting" | "open" | "closed";

/** One WebSocket client: handshake, authentication, then request dispatch and event delivery. */
export class GatewayConnection {
  readonly connId = randomUUID();
  readonly clientAddress: string;
  readonly connectedAt = Date.now();
  scopes: readonly string[] = [];
  role: "operator" | "node" = "operator";
  client: ClientInfo | undefined;
  #state: ConnectionState = "handshake";
  #handshakeTimer: NodeJS.Timeout | undefined;
  readonly #ws: WebSocket;
  readonly #host: ConnectionHost;

  constructor(ws: WebSocket, clientAddress: string, host: ConnectionHost) {
    this.#ws = ws;
    this.#host = host;
    this.clientAddress = clientAddress;
    ws.on("message", (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.on("close", () => this.#onClose());
    ws.on("error", () => this.#ws.terminate());
    this.#handshakeTimer = setTimeout(() => {
      this.#host.runtime.logger.debug("handshake timed out", { connId: this.connId, address: clientAddress });
      this.close(CLOSE_POLICY, "handshake timeout");
    }, host.policy.handshakeTimeoutMs);
    this.#handshakeTimer.unref();
    this.sendEvent("connect.challenge", { nonce: randomUUID(), ts: Date.now() });
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

  close(code = 1000, reason = ""): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    clearTimeout(this.#handshakeTimer);
    this.#ws.close(code, reason);
  }

  /** Drops the socket without a closing handshake (for clients that do not answer one). */
  terminate(): void {
    this.#state = "closed";
    clearTimeout(this.#handshakeTimer);
    this.#ws.terminate();
  }

  #onClose(): void {
    this.#state = "closed";
    clearTimeout(this.#handshakeTimer);
    this.#host.onClosed(this);
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
    if (this.#state !== "open" && data.length > PRE_AUTH_MAX_PAYLOAD) {
      this.close(CLOSE_TOO_BIG, "frame exceeds the 64 KiB pre-authentication limit");
      return;
    }
    let request: InboundRequest;
    try {
      if (isBinary) {
        throw new GatewayError("INVALID_REQUEST", "binary frames are not supported: send JSON text frames", {
          details: { code: ErrorDetailCodes.INVALID_FRAME },
        });
      }
      request = parseInboundRequest(data.toString("utf8"));
    } catch (error) {
      const id = error instanceof GatewayError ? (error.details?.id as string | undefined) : undefined;
      const reply: InboundRequest = { id, method: "", params: undefined, simplified: false };
      this.#respondError(reply, error);
      if (this.#state !== "open") this.close(CLOSE_POLICY, "invalid handshake frame");
      return;
    }
    if (this.#state === "open") {
      void this.#handleRequest(request);
      return;
    }
    if (this.#state === "connecting") {
      this.#respondError(
        request,
        new GatewayError("INVALID_REQUEST", "wait for the connect response before sending requests", {
          details: { code: ErrorDetailCodes.CONNECT_REQUIRED },
        }),
      );
      return;
    }
    void this.#handleHandshake(request);
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
    try {
      const payload = await this.#host.methods.dispatch(request.method, request.params, {
        runtime: this.#host.runtime,
        connId: this.connId,
        scopes: this.scopes,
        clientAddress: this.clientAddress,
      });
      this.#respond(request, { ok: true, payload });
    } catch (error) {
      this.#respondError(request, error);
    }
  }

  async #handleHandshake(request: InboundRequest): Promise<void> {
    if (request.method !== "connect" && request.method !== "auth") {
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
    try {
      const hello = await this.#authenticate(request);
      if (this.#state !== "connecting") return;
      this.#respond(request, { ok: true, payload: hello });
      this.#state = "open";
      this.#host.onReady(this);
    } catch (error) {
      this.#respondError(request, error);
      this.close(CLOSE_POLICY, "connect failed");
    }
  }

  async #authenticate(request: InboundRequest): Promise<HelloOk> {
    const runtime = this.#host.runtime;
    const connect = parseConnect(request);
    if (connect.minProtocol > PROTOCOL_VERSION || connect.maxProtocol < PROTOCOL_VERSION) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `protocol mismatch: this gateway speaks protocol ${PROTOCOL_VERSION}, the client asked for ${connect.minProtocol}..${connect.maxProtocol}`,
        {
          details: {
            code: ErrorDetailCodes.PROTOCOL_MISMATCH,
            serverProtocol: PROTOCOL_VERSION,
            minProtocol: connect.minProtocol,
            maxProtocol: connect.maxProtocol,
          },
        },
      );
    }
    const role = connect.role ?? "operator";
    if (role !== "operator" && role !== "node") {
      throw new GatewayError(
        "FORBIDDEN",
        `role "${connect.role}" is not served by this gateway; use "operator" (or "node" for a paired node)`,
        {
          details: { code: ErrorDetailCodes.MISSING_SCOPE, role: connect.role },
        },
      );
    }
    const limit = runtime.rateLimiter.check(this.clientAddress);
    if (!limit.allowed) throw rateLimitedError(limit.retryAfterMs);
    await runtime.configState.refresh();
    const credential = await runtime.resolveCredential();
    try {
      verifyCredential(credential, { token: connect.auth?.token, password: connect.auth?.password });
    } catch (error) {
      const next = runtime.rateLimiter.recordFailure(this.clientAddress);
      runtime.logger.warn("authentication failed", {
        connId: this.connId,
        address: this.clientAddress,
        reason: error instanceof GatewayError ? error.detailCode : "unknown",
      });
      if (!next.allowed) throw rateLimitedError(next.retryAfterMs);
      throw error;
    }
    runtime.rateLimiter.recordSuccess(this.clientAddress);
    clearTimeout(this.#handshakeTimer);
    // A node gets no operator scopes at all: it may only connect once an operator approved its surface.
    if (role === "node") this.#admitNode(connect);
    this.role = role;
    this.scopes = role === "node" ? [] : grantScopes(connect.scopes, runtime.credentialScopes());
    this.client = connect.client;
    this.#host.onAuthenticated(this);
    const config = runtime.configState.config;
    const defaultAgent = defaultAgentId(config);
    const mainKey = config.session.mainKey;
    return {
      type: "hello-ok",
      protocol: PROTOCOL_VERSION,
      server: { version: runtime.version, connId: this.connId },
      features: { methods: this.#host.methods.methodNames(), events: [...this.#host.events] },
      snapshot: {
        presence: runtime.presenceEntries(),
        health: await runtime.healthSnapshot(),
        stateVersion: { presence: runtime.presence.version, health: 0 },
        uptimeMs: Date.now() - runtime.startedAt,
        configPath: runtime.configState.paths.configPath,
        stateDir: runtime.configState.paths.stateDir,
        authMode: credential.mode,
        sessionDefaults: {
          defaultAgentId: defaultAgent,
          mainKey,
          mainSessionKey: buildMainSessionKey(defaultAgent, mainKey),
          scope: config.session.scope,
        },
      },
      auth: { role, scopes: [...this.scopes] },
      policy: {
        maxPayload: this.#host.policy.maxPayload,
        maxBufferedBytes: this.#host.policy.maxBufferedBytes,
        tickIntervalMs: this.#host.policy.tickIntervalMs,
      },
    };
  }

  /**
   * A node's declared surface (caps and commands) must be approved by an operator first. An unknown or widened
   * surface becomes a pending request, announced as `node.pair.requested`, and the connect is refused with its id.
   */
  #admitNode(connect: ReturnType<typeof parseConnect>): void {
    const runtime = this.#host.runtime;
    const extra = connect as { commands?: unknown; device?: unknown };
    const device = extra.device as { id?: unknown } | undefined;
    const nodeId =
      (typeof device?.id === "string" && device.id) || connect.client.instanceId || connect.client.id;
    const commands = Array.isArray(extra.commands)
      ? extra.commands.filter((value): value is string => typeof value === "string")
      : [];
    const outcome = runtime.nodePairing.observeConnect({
      nodeId,
      ...(connect.client.displayName ? { displayName: connect.client.displayName } : {}),
      platform: connect.client.platform,
      version: connect.client.version,
      caps: connect.caps ?? [],
      commands,
      remoteIp: this.clientAddress,
    });
    if (outcome.status === "approved") return;
    if (outcome.created) runtime.broadcast("node.pair.requested", outcome.request, "operator.pairing");
    throw new GatewayError(
      "NOT_PAIRED",
      `node "${nodeId}" is waiting for approval: an operator runs "openclaw nodes approve ${outcome.request.requestId}" (or calls node.pair.approve)`,
      { details: { code: "PAIRING_REQUIRED", requestId: outcome.request.requestId, nodeId } },
    );
  }
}

function parseConnect(request: InboundRequest) {
  if (request.method === "auth") {
    const alias = AuthAliasParamsSchema.safeParse(request.params ?? {});
    if (!alias.success) throw invalidConnect("auth", alias.error);
    return {
      minProtocol: PROTOCOL_VERSION,
      maxProtocol: PROTOCOL_VERSION,
      client: { id: "webchat", version: "unknown", platform: "unknown", mode: "webchat" } as ClientInfo,
      role: "operator",
      scopes: alias.data.scopes,
      auth: { token: alias.data.token, password: alias.data.password },
    };
  }
  const parsed = ConnectParamsSchema.safeParse(request.params);
  if (!parsed.success) throw invalidConnect("connect", parsed.error);
  return parsed.data;
}

function invalidConnect(method: string, error: import("zod").ZodError): GatewayError {
  const issues = describeZodIssues(error);
  const first = issues[0];
  return new GatewayError(
    "INVALID_REQUEST",
    `invalid ${method} params: ${first ? `${first.path}: ${first.message}` : "malformed"}`,
    { details: { code: ErrorDetailCodes.INVALID_PARAMS, issues } },
  );
}

/** Maps anything thrown by a handler to the wire's error shape; unexpected errors never leak internals. */
export function toErrorShape(error: unknown, runtime: GatewayRuntime): ErrorShape {
  if (error instanceof GatewayError) return error.toShape();
  const coded = error as { code?: unknown; message?: unknown; details?: unknown };
  if (error instanceof Error && typeof coded.code === "string" && /^[A-Z][A-Z_]+$/.test(coded.code)) {
    const details = coded.details && typeof coded.details === "object" ? coded.details : {};
    return { code: "INVALID_REQUEST", message: error.message, details: { ...details, code: coded.code } };
  }
  runtime.logger.error("method failed", { error: error instanceof Error ? error.stack : String(error) });
  return { code: "UNAVAILABLE", message: "internal error: see the gateway log for details", retryable: true };
}
