export type TailscaleErrorCode =
  | "TAILSCALE_FUNNEL_NEEDS_PASSWORD"
  | "TAILSCALE_NEEDS_LOOPBACK_BIND"
  | "TAILSCALE_NOT_FOUND"
  | "TAILSCALE_NOT_RUNNING"
  | "TAILSCALE_FAILED";

export class TailscaleError extends Error {
  override readonly name = "TailscaleError";
  readonly code: TailscaleErrorCode;
  constructor(code: TailscaleErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
