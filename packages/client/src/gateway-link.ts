import type { ConnectChallenge } from "@openclaw/protocol";
import {
  type ConnectParams,
  describeZodIssues,
  GatewayError,
  type HelloOk,
  HelloOkSchema,
  PROTOCOL_VERSION,
  type ResponseFrame,
} from "@openclaw/protocol";
import type { GatewayClientInfo } from "./default-client-info.js";
import { GatewayClientError } from "./gateway-client-error.js";
import type { GatewayClientOptions } from "./gateway-client-options.js";
import type { WebSocketLike } from "./websocket-like.js";

export interface PendingRequest {
  resolve(payload: unknown): void;
  reject(error: Error): void;
}

/** One socket's life: from opening, through the handshake, to its close. */
export interface Link {
  socket: WebSocketLike;
  pending: Map<string, PendingRequest>;
  hello: HelloOk | undefined;
  lastFrameAt: number;
  tickWatch: ReturnType<typeof setInterval> | undefined;
  onChallenge: ((payload: unknown) => void) | undefined;
}

export function openedLink(socket: WebSocketLike): Link {
  return {
    socket,
    pending: new Map(),
    hello: undefined,
    lastFrameAt: Date.now(),
    tickWatch: undefined,
    onChallenge: undefined,
  };
}

/** The `connect` frame's params: credentials travel here, never in the URL. */
export function connectParams(
  options: GatewayClientOptions,
  client: GatewayClientInfo,
  challenge: ConnectChallenge,
): ConnectParams {
  const role = options.role ?? "operator";
  const params: ConnectParams = {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client,
    role,
  };
  if (options.scopes !== undefined) params.scopes = options.scopes;
  if (options.caps !== undefined) params.caps = options.caps;
  if (options.commands !== undefined) params.commands = options.commands;
  if (options.locale !== undefined) params.locale = options.locale;
  if (options.userAgent !== undefined) params.userAgent = options.userAgent;
  const deviceToken = options.deviceToken?.();
  if (options.token !== undefined || options.password !== undefined || deviceToken !== undefined) {
    params.auth = {};
    if (options.token !== undefined) params.auth.token = options.token;
    if (options.password !== undefined) params.auth.password = options.password;
    if (deviceToken !== undefined) params.auth.deviceToken = deviceToken;
  }
  if (options.device) {
    // The signature binds the credential sent: the device token when there is one, else the shared token.
    params.device = options.device.sign(challenge, {
      clientId: client.id,
      clientMode: client.mode,
      role,
      scopes: options.scopes ?? [],
      token: deviceToken ?? options.token ?? "",
      platform: client.platform,
    });
  }
  return params;
}

/**
 * Sends one request frame on the link and settles with its response, a timeout, an abort or the link's close
 * (whichever comes first); the pending entry is removed exactly once.
 */
export function sendRequest(
  link: Link,
  id: string,
  method: string,
  params: unknown,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal?.aborted) {
    return Promise.reject(
      new GatewayClientError("ABORTED", `"${method}" was aborted before it was sent`, {
        cause: signal.reason,
      }),
    );
  }
  return new Promise<unknown>((resolve, reject) => {
    const settle = (action: () => void): void => {
      if (!link.pending.delete(id)) return;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      action();
    };
    const onAbort = (): void =>
      settle(() =>
        reject(new GatewayClientError("ABORTED", `"${method}" was aborted`, { cause: signal?.reason })),
      );
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(
          () =>
            settle(() =>
              reject(
                new GatewayClientError(
                  "TIMEOUT",
                  `no response to "${method}" within ${timeoutMs} ms: raise requestTimeoutMs or pass { timeoutMs }`,
                ),
              ),
            ),
          timeoutMs,
        )
      : undefined;
    const entry: PendingRequest = {
      resolve: (payload) => settle(() => resolve(payload)),
      reject: (error) => settle(() => reject(error)),
    };
    link.pending.set(id, entry);
    signal?.addEventListener("abort", onAbort, { once: true });
    const frame = params === undefined ? { type: "req", id, method } : { type: "req", id, method, params };
    try {
      link.socket.send(JSON.stringify(frame));
    } catch (error) {
      entry.reject(
        new GatewayClientError("CLOSED", `could not send "${method}": the socket is not open`, {
          cause: error,
        }),
      );
    }
  });
}

export function rejectPending(link: Link, error: Error): void {
  for (const entry of [...link.pending.values()]) entry.reject(error);
}

export function settleResponse(link: Link, frame: ResponseFrame): void {
  const entry = link.pending.get(frame.id);
  if (!entry) return;
  if (frame.ok) {
    entry.resolve(frame.payload);
    return;
  }
  entry.reject(
    frame.error
      ? GatewayError.fromShape(frame.error)
      : new GatewayError("INTERNAL", "the gateway answered ok:false without an error body"),
  );
}

export function parseHello(payload: unknown): HelloOk | GatewayClientError {
  const parsed = HelloOkSchema.safeParse(payload);
  if (!parsed.success) {
    const issues = describeZodIssues(parsed.error)
      .slice(0, 3)
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join("; ");
    return new GatewayClientError("PROTOCOL", `the gateway's hello-ok is malformed (${issues})`);
  }
  if (parsed.data.protocol !== PROTOCOL_VERSION) {
    return new GatewayClientError(
      "PROTOCOL",
      `the gateway chose protocol ${parsed.data.protocol}, this client speaks only ${PROTOCOL_VERSION}`,
    );
  }
  return parsed.data;
}
