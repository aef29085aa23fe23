export { type EventFrame, GatewayError, type HelloOk } from "@openclaw/protocol";
export type { GatewayClientInfo } from "./default-client-info.js";
export {
  CLIENT_EVENTS,
  type DeviceSigner,
  type DeviceSignInput,
  GatewayClient,
  type GatewayClientOptions,
  type GatewayCloseInfo,
  type GatewayEventHandler,
  type ReconnectedEvent,
  type ReconnectFailedEvent,
  type ReconnectingEvent,
  type RequestOptions,
} from "./gateway-client.js";
export { GatewayClientError, type GatewayClientErrorCode } from "./gateway-client-error.js";
export type { WebSocketConstructor, WebSocketLike } from "./websocket-like.js";
