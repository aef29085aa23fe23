/**
 * Why a gateway did not start: a port in use, unreadable TLS files, an unknown storage driver, a Tailscale failure.
 * `code` is stable; the message names the setting to change.
 */
export class GatewayStartError extends Error {
  override readonly name = "GatewayStartError";
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
