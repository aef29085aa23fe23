/** Why a client-side operation failed; errors the server sent arrive as `GatewayError` instead. */
export type GatewayClientErrorCode =
  | "INVALID_OPTIONS"
  | "CONNECT_FAILED"
  | "PROTOCOL"
  | "NOT_CONNECTED"
  | "TIMEOUT"
  | "ABORTED"
  | "CLOSED";

/**
 * A failure the client detected itself (no server answer, a dropped socket, a bad option). Errors the gateway
 * reported in a response are `GatewayError` from `@openclaw/protocol`, with the server's `code` and `details`.
 */
export class GatewayClientError extends Error {
  override readonly name = "GatewayClientError";
  readonly code: GatewayClientErrorCode;

  constructor(code: GatewayClientErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
