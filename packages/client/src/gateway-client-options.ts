import type {
  ConnectChallenge,
  DeviceIdentity,
  EventFrame,
  HelloOk,
  MethodName,
  MethodParams,
} from "@openclaw/protocol";
import type { GatewayClientInfo } from "./default-client-info.js";
import type { ReconnectOption } from "./reconnect-backoff.js";
import type { WebSocketConstructor } from "./websocket-like.js";

export interface GatewayClientOptions {
  /** `ws://` or `wss://`. Credentials never go here: they travel in the `connect` frame. */
  url: string;
  token?: string;
  password?: string;
  /** Scopes to ask for; the server grants the intersection with what the credential allows (see `hello.auth`). */
  scopes?: string[];
  /** Defaults: id `gateway-client`, mode `backend`, platform from `process`/`navigator`, this package's version. */
  client?: Partial<GatewayClientInfo>;
  /** Optional client capabilities sent as `connect.params.caps` (e.g. `tool-events`). */
  caps?: string[];
  /** `operator` (default) or `node`: a node serves `node.invoke.request` events for the commands it declares. */
  role?: "operator" | "node";
  /** The commands a node offers (`connect.params.commands`); an operator approves them once. */
  commands?: string[];
  /**
   * The device token the gateway issued this device (`hello-ok.auth.deviceToken`), read at every (re)connect so a
   * rotated token is picked up. Needs `device`: a device token is only accepted with the device's signature.
   */
  deviceToken?: () => string | undefined;
  /** Signs the server's `connect.challenge` with the device's key (see `buildDeviceAuthPayload`). */
  device?: DeviceSigner;
  locale?: string;
  userAgent?: string;
  /** Default 30 000. */
  requestTimeoutMs?: number;
  /** Time from opening the socket to `hello-ok`. Default 15 000. */
  connectTimeoutMs?: number;
  /** Reconnect after the link drops (never after `close()`). Default false. */
  reconnect?: ReconnectOption;
  /**
   * Treat the link as dead when no frame arrives for twice the server's `policy.tickIntervalMs`.
   * Default true; the gateway sends `tick` events on that interval.
   */
  tickWatch?: boolean;
  /** Defaults to the global `WebSocket` (Node >= 22, browsers). The `ws` package's class works too. */
  WebSocket?: WebSocketConstructor;
}

/** What a device signs at connect time, besides the server's nonce. */
export interface DeviceSignInput {
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  token: string;
  platform: string;
}

export interface DeviceSigner {
  /** Returns `connect.params.device`: `{ id, publicKey, signature, signedAt, nonce }`. */
  sign(challenge: ConnectChallenge, input: DeviceSignInput): DeviceIdentity;
}

export interface RequestOptions {
  /** Overrides `requestTimeoutMs` for this call. */
  timeoutMs?: number;
  /** Aborting rejects the call with `GatewayClientError` `ABORTED`; the server may still carry it out. */
  signal?: AbortSignal;
}

export type GatewayEventHandler = (payload: unknown, frame: EventFrame) => void;

export interface GatewayCloseInfo {
  code: number;
  reason: string;
  /** True when the client will try to reconnect (reconnect is on and `close()` was not called). */
  willReconnect: boolean;
}

/**
 * Events the client emits itself, through `on()` like server events (and to `"*"` listeners). The `client.`
 * prefix is never used by the gateway.
 */
export const CLIENT_EVENTS = {
  /** Payload {@link ReconnectingEvent}: a reconnect attempt is scheduled. */
  reconnecting: "client.reconnecting",
  /** Payload {@link ReconnectedEvent}: the link is back and re-handshaken; `hello` is the new `hello-ok`. */
  reconnected: "client.reconnected",
  /** Payload {@link ReconnectFailedEvent}: the client gave up; call `connect()` to start again. */
  reconnectFailed: "client.reconnect_failed",
} as const;

export interface ReconnectingEvent {
  attempt: number;
  delayMs: number;
}
export interface ReconnectedEvent {
  attempt: number;
  hello: HelloOk;
}
export interface ReconnectFailedEvent {
  attempts: number;
  error: Error;
}

/** Known methods take their contract's params; optional when the contract allows none. */
export type KnownMethodArgs<M extends MethodName> =
  undefined extends MethodParams<M>
    ? [params?: MethodParams<M>, options?: RequestOptions]
    : [params: MethodParams<M>, options?: RequestOptions];

/** Keeps the untyped overload from swallowing a known method called with wrong params. */
export type UnknownMethodName<M extends string> = M & (M extends MethodName ? never : unknown);
