/**
 * The part of the WHATWG `WebSocket` this client uses. The global `WebSocket` of Node >= 22 and of browsers fits,
 * and so does the `ws` package's class, so any of them can be injected without a cast.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "open" | "error", listener: () => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `WebSocket.OPEN`, spelled out because an injected constructor need not carry the static constants. */
export const WEBSOCKET_OPEN = 1;
