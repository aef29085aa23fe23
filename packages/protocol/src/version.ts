/** The OpenClaw Gateway protocol version this implementation speaks. */
export const PROTOCOL_VERSION = 4;

/** Frames received before `hello-ok` are capped at this size (bytes). */
export const PRE_AUTH_MAX_PAYLOAD = 64 * 1024;
