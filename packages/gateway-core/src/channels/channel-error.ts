export type ChannelErrorCode =
  | "CHANNEL_DUPLICATE"
  | "CHANNEL_UNKNOWN"
  | "CHANNEL_LOAD_FAILED"
  | "CHANNEL_PACKAGE_MISSING"
  | "CHANNEL_NOT_CONFIGURED"
  | "CHANNEL_ACCOUNT_UNKNOWN"
  | "CHANNEL_NOT_RUNNING"
  | "CHANNEL_ACCOUNT_STOPPING"
  | "CHANNEL_SEND_FAILED"
  | "CHANNEL_QR_LOGIN_UNAVAILABLE"
  | "CHANNEL_STATE_INVALID"
  | "TOOL_DUPLICATE"
  | "METHOD_DUPLICATE"
  | "STORAGE_DRIVER_DUPLICATE"
  | "STORAGE_DRIVER_INVALID";

/** A channel operation that cannot be done; the message says what to change. */
export class ChannelError extends Error {
  override readonly name = "ChannelError";
  readonly code: ChannelErrorCode;
  readonly channel: string | undefined;

  constructor(code: ChannelErrorCode, message: string, options: { channel?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.channel = options.channel;
  }
}

export type PairingErrorCode =
  | "PAIRING_CODE_UNKNOWN"
  | "PAIRING_CODE_EXPIRED"
  | "PAIRING_INVALID_CHANNEL"
  | "PAIRING_STORE_UNREADABLE";

/** A pairing request that cannot be approved or rejected, or a pairing file that cannot be read. */
export class PairingError extends Error {
  override readonly name = "PairingError";
  readonly code: PairingErrorCode;

  constructor(code: PairingErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** One line for a log or a status field; never the stack, never an object dump. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
